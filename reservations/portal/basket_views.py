"""4. Résumé: the basket of the booking wizard, and sending it as an order.

Views read input, call one service (or selector) and render; the time is read once per request
and passed on.
"""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse

from ..emails import order_receipt_queue
from ..errors import ReservationError
from ..models import BasketItem
from ..selectors import orders as selectors
from ..services.basket import (
    basket_clear,
    basket_remove,
    basket_submit,
)
from .booking_common import _render, _safe_next

# --- 4. Résumé (the basket) -----------------------------------------------------------------


def _render_basket(request, *, submit_error=None, status=None):
    return _render(
        request,
        "basket.html",
        {
            "summary": selectors.basket_summary(request.family),
            "submit_error": submit_error,
            # One per rendering: the same form submitted twice makes one order.
            "submission_key": uuid.uuid4(),
        },
        step="summary",
        status=status,
    )


@require_GET
@family_required
def basket(request):
    return _render_basket(request)


@require_http_methods(["GET", "POST"])
@family_required
def basket_item_remove(request, item_id):
    # Another family's line is not found, whatever the method; a GET only shows the basket.
    item = selectors.basket_item(request.family, item_id)
    if request.method != "POST":
        return redirect(portal_reverse(request, "reservations:basket"))
    try:
        basket_remove(family=request.family, item_id=item.pk)
    except BasketItem.DoesNotExist as error:  # removed meanwhile (another tab)
        raise Http404 from error
    messages.success(request, gettext("The line is removed from your basket."))
    back = _safe_next(request, request.POST.get("next"))
    return redirect(back or portal_reverse(request, "reservations:basket"))


@require_POST
@family_required
def basket_empty(request):
    removed = basket_clear(family=request.family)
    if removed:
        messages.success(
            request,
            ngettext(
                "Your basket is emptied (%(count)s line removed).",
                "Your basket is emptied (%(count)s lines removed).",
                removed,
            )
            % {"count": removed},
        )
    return redirect(portal_reverse(request, "reservations:basket"))


@require_POST
@family_required
def basket_send(request):
    """« Valider »: the basket becomes a numbered order; its receipt is queued once the order
    is committed (the task worker renders and e-mails it). The form's submission key makes
    a second submission (double click, Back then « Valider ») show the same order's
    receipt."""
    try:
        submission_key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        submission_key = None
    try:
        order = basket_submit(
            family=request.family,
            user=request.user,
            now=timezone.now(),
            submission_key=submission_key,
        )
    except ReservationError as error:
        # Nothing was saved and the basket is as it was: say why, line by line.
        return _render_basket(request, submit_error=error)
    if getattr(order, "already_submitted", False):
        messages.info(
            request,
            gettext("Your order no. %(number)s was already registered.") % {"number": order.number},
        )
        return redirect(portal_reverse(request, "reservations:order_detail", order_id=order.pk))
    order_receipt_queue(order_id=order.pk)
    messages.success(
        request,
        gettext("Your order no. %(number)s is registered. A receipt is sent by e-mail.")
        % {"number": order.number},
    )
    return redirect(portal_reverse(request, "reservations:order_detail", order_id=order.pk))
