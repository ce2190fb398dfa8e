"""The family portal's place in the site: editors put this page where the commune wants it."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms.page_serving import OneQueryViewRestrictionsMixin
from cms.security_headers import never_store

PORTAL_URLCONF = "portal_features.portal_urls"


class PortalPage(OneQueryViewRestrictionsMixin, Page):
    """The portal's screens live below this page's URL and share the site's header, menu and
    footer; their addresses come from an ordinary Django URLconf (`portal_urls.py`)."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown above the login link to visitors who are not logged in."),
    )

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = []
    max_count = 1
    # Crawlers are kept out of the portal's screens (cms's robots.txt reads this).
    robots_disallow = True

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("family portal")
        verbose_name_plural = _("family portals")

    def route(self, request, path_components):
        if not self.live:
            raise Http404
        path = "/" + "".join(f"{component}/" for component in path_components)
        try:
            match = resolve(path, urlconf=PORTAL_URLCONF)
        except Resolver404 as error:
            raise Http404 from error
        return RouteResult(self, args=(match,))

    def serve(self, request, match=None):
        request.portal_page = self
        request.portal_match = match
        # Family data: a shared computer's Back button shows nothing once the parent is gone.
        return never_store(match.func(request, *match.args, **match.kwargs))

    def serve_preview(self, request, mode_name):
        # The editor previews what a logged-out visitor sees: the intro and the login link.
        request.portal_page = self
        return self.welcome_response(request)

    def welcome_response(self, request):
        """What visitors who are not logged in see: the editors' intro, log in or sign up."""
        return TemplateResponse(
            request, "portal_features/portal/welcome.html", {"page": self, "portal_page": self}
        )
