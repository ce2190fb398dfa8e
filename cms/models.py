"""The commune's public pages and its identity (site settings)."""

from django.db import models
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site, get_page_models
from wagtail.search import index

from core.fields import optional_link

from .blocks import BodyBlock, PortalTileBlock, QuickLinksBlock
from .home_sections import home_sections
from .page_cache import cached_until_purge
from .page_serving import OneQueryViewRestrictionsMixin
from .selectors import site_root, site_sections


def pages_that_name_their_parent(parent) -> list[type]:
    """The page types that list `parent` in their own `parent_page_types`.

    The home page and standard pages hold the site's sections: cms's own pages and those of
    the apps above it (the news index, the documents library, the family portal…), which cms
    does not name. Each section says where it may live; a page type that says nothing (such
    as Wagtail's base Page) is not a section.
    """
    return [
        model
        for model in get_page_models()
        if getattr(model, "parent_page_types", None) is not None
        and parent in model.clean_parent_page_models()
    ]


def _served(page: Page) -> Page:
    """`page` with its view restrictions read, to be kept until the purge."""
    if isinstance(page, OneQueryViewRestrictionsMixin):
        page.keep_view_restrictions()
    return page


class HomePage(OneQueryViewRestrictionsMixin, Page):
    """The commune's welcome page: root of a site."""

    intro = RichTextField(_("welcome text"), blank=True, features=["bold", "italic", "link"])
    hero_image = optional_link("wagtailimages.Image", _("banner image"))
    portal_tiles = StreamField(
        [("tile", PortalTileBlock())], verbose_name=_("family portal tiles"), blank=True
    )
    quick_links_title = models.CharField(
        _("quick links title"), max_length=120, default=_("Useful documents"), blank=True
    )
    quick_links = StreamField(
        QuickLinksBlock(),
        verbose_name=_("quick links"),
        blank=True,
        help_text=_("Documents and pages families often look for."),
    )

    parent_page_types = ["wagtailcore.Page"]

    @classproperty
    def subpage_types(cls):
        return pages_that_name_their_parent(cls)

    # No query parameter changes the page: the anonymous page cache keeps one copy (page_cache.py).
    reads_query_params = ()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("portal_tiles"),
        MultiFieldPanel(
            [FieldPanel("quick_links_title"), FieldPanel("quick_links")],
            heading=_("Quick links"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        # The section a page lives in (its type, fields and, when it is the page served, its
        # view restrictions) is read once per publication, not on every rendering: Wagtail
        # asks for the child, then for its specific type. The live sections are known from
        # the menu's list; any other address (a section that is not live, whose live pages
        # Wagtail still serves, or none) is left to Wagtail.
        section = self._live_section(request, path_components[0]) if path_components else None
        if section is not None:
            return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def _live_section(self, request, slug: str) -> Page | None:
        root = site_root(request)
        if root is None or root.pk != self.pk:
            return None
        section = next((child for child in site_sections(request) if child.slug == slug), None)
        if section is None:
            return None
        return cached_until_purge(f"section:{section.pk}", lambda: _served(section.specific))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # What the apps above cms show here (news: the latest news), see home_sections.py.
        context["home_sections"] = home_sections(self, request)
        return context


class StandardPage(OneQueryViewRestrictionsMixin, Page):
    """A page of information (Infos pratiques, Mentions légales, …)."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    @classproperty
    def subpage_types(cls):
        return pages_that_name_their_parent(cls)

    reads_query_params = ()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(OneQueryViewRestrictionsMixin, AbstractEmailForm):
    """The "Nous contacter" page: a form whose submissions are e-mailed to the service."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"]
    )

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = []

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")

    def send_mail(self, form):
        # Queued so that a slow mail server never slows the person writing to the commune.
        from .tasks import send_contact_email

        send_contact_email.enqueue(
            subject=self.subject or self.title,
            body=self.render_email(form),
            from_address=self.from_address,
            to_addresses=[address.strip() for address in self.to_address.split(",")],
            reply_to=self._sender_address(form),
        )

    def _sender_address(self, form) -> str:
        """The first e-mail field's value, whatever the editor called it, to reply to."""
        for field in self.get_form_fields():
            if field.field_type == "email":
                return form.cleaned_data.get(field.clean_name) or ""
        return ""


@register_setting(icon="site")
class CommuneSettings(BaseSiteSetting):
    """The commune's identity, shown in the header, the footer and on documents."""

    name = models.CharField(_("name of the commune"), max_length=120, default="Ma commune")
    logo = optional_link("wagtailimages.Image", _("logo"))
    address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    contact_page = optional_link("wagtailcore.Page", _("contact page"))
    legal_notice_page = optional_link("wagtailcore.Page", _("legal notice page"))
    privacy_page = optional_link("wagtailcore.Page", _("privacy policy page"))
    schools = models.TextField(
        _("schools of the commune"),
        blank=True,
        help_text=_("One school a line: families choose their children's school among them."),
    )

    # Read with the settings in one query: the header and footer show them on every page.
    select_related = ["logo", "contact_page", "legal_notice_page", "privacy_page"]

    @classmethod
    def for_request(cls, request):
        """For rendering pages: kept in the cache until the next purge (saving the settings,
        publishing a page). The admin reads and edits them through `for_site`, uncached."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            if site is None:
                return super().for_request(request)
            instance = cached_until_purge(f"commune-settings:{site.pk}", lambda: cls.for_site(site))
            instance._request = request
            setattr(request, attr_name, instance)
        return getattr(request, attr_name)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("logo")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contact details"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("contact_page"),
                PageChooserPanel("legal_notice_page"),
                PageChooserPanel("privacy_page"),
            ],
            heading=_("Footer links"),
        ),
        FieldPanel("schools"),
    ]

    @property
    def school_names(self) -> list[str]:
        return [line.strip() for line in self.schools.splitlines() if line.strip()]

    class Meta:
        verbose_name = _("commune identity")
