from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from cms.home_sections import PORTAL_HOME, home_sections
from cms.selectors import site_root
from portal_features.models import Notification

from .attention import attention_items
from .family import family_for_user
from .navigation import portal_navigation


def unread_alerts(request, family) -> int:
    """The family's unread alerts, read once per request: the home's item and the menu's
    badge show the same number."""
    kept = getattr(request, "_unread_alerts", None)
    if kept is None or kept[0] != family.pk:
        count = Notification.objects.for_family(family).unread().count()
        kept = request._unread_alerts = (family.pk, count)
    return kept[1]


def unread_alerts_count(request, family):
    """The menu's badge, read when the template first shows it (after the screen's own
    work: the alerts' list has marked what it shows as read)."""
    return SimpleLazyObject(lambda: unread_alerts(request, family))


def portal_context(request, **extra) -> dict:
    """What every portal screen's template needs: the family, its menu, the unread count."""
    unread_alerts = unread_alerts_count(request, request.family)
    return {
        "family": request.family,
        "portal_page": request.portal_page,
        "page": request.portal_page,
        "portal_nav": portal_navigation(request, unread_alerts=unread_alerts),
        "unread_alerts": unread_alerts,
        **extra,
    }


def portal_render(request, template_name: str, context=None, *, status=None):
    return TemplateResponse(
        request, template_name, portal_context(request, **(context or {})), status=status
    )


def portal_welcome(request):
    """For visitors who are not logged in: the editors' intro, log in or ask for an account."""
    return request.portal_page.welcome_response(request)


def portal_home(request):
    if not request.user.is_authenticated:
        return portal_welcome(request)
    family = family_for_user(request.user)
    if family is None:
        return TemplateResponse(request, "portal_features/portal/no_family.html", status=403)
    request.family = family
    items = attention_items(family, request)
    return portal_render(
        request,
        "portal_features/portal/home.html",
        {
            "urgent_items": [item for item in items if item.urgent],
            "attention_items": [item for item in items if not item.urgent],
            # The next days, the requests in progress, the news, the documents…: what the
            # apps register with cms.home_sections for the portal's home.
            "home_sections": home_sections(site_root(request), request, place=PORTAL_HOME),
        },
    )
