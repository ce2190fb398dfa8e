"""The family's orders ("Mes commandes") and the receipt of one order."""

from django.core.paginator import Paginator
from django.views.decorators.http import require_GET

from portal_features.portal.family import family_required

from ..selectors import orders as selectors
from .booking_common import _render

ORDERS_PER_PAGE = 20


# --- Orders ---------------------------------------------------------------------------------


@require_GET
@family_required
def order_list(request):
    history = Paginator(selectors.order_history(request.family), ORDERS_PER_PAGE)
    return _render(
        request,
        "orders.html",
        {
            "pending": selectors.pending_orders(request.family),
            "page_obj": history.get_page(request.GET.get("page")),
        },
    )


@require_GET
@family_required
def order_detail(request, order_id):
    order = selectors.order_receipt(request.family, order_id)
    return _render(request, "order_detail.html", {"order": order})
