"""« Mes alertes »: every event that concerns the family, newest first."""

from django.core.paginator import Paginator
from django.views.decorators.http import require_http_methods

from ..portal.family import family_required
from ..portal.views import portal_render
from .selectors import notifications_for_family
from .services import notifications_mark_read

PER_PAGE = 20


@require_http_methods(["GET"])
@family_required
def notification_list(request):
    page = Paginator(notifications_for_family(family=request.family), PER_PAGE).get_page(
        request.GET.get("page")
    )
    notifications = list(page.object_list)
    # Shown as unread this time; read from now on (the menu's count drops on this page).
    unread_ids = [notification.pk for notification in notifications if notification.read_at is None]
    if unread_ids:
        notifications_mark_read(family=request.family, notification_ids=unread_ids)
    return portal_render(
        request,
        "portal_features/alerts/list.html",
        {"page_obj": page, "notifications": notifications},
    )
