"""On the portal home: what the family still owes and which invoices wait to be paid
(one query, whatever the number of invoices)."""

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.money import format_euros
from core.time import local_today
from portal_features.portal.attention import AttentionItem
from portal_features.portal.urls import portal_reverse

from ..choices import PaymentState
from ..selectors import family_balance_due

# The home lists this many unpaid invoices; the « Factures » tab lists them all.
SHOWN = 3


def attention_items(family, request) -> list[AttentionItem]:
    unpaid, balance = family_balance_due(family=family, today=local_today())
    if not unpaid:
        return []
    late = any(invoice.state in (PaymentState.OVERDUE, PaymentState.TREASURY) for invoice in unpaid)
    items = [
        AttentionItem(
            text=ngettext(
                "Balance due: %(amount)s on %(count)s invoice.",
                "Balance due: %(amount)s on %(count)s invoices.",
                len(unpaid),
            )
            % {"amount": format_euros(balance), "count": len(unpaid)},
            url=portal_reverse(request, "invoicing:list"),
            level="warning" if late else "info",
        )
    ]
    for invoice in unpaid[:SHOWN]:
        values = {
            "number": invoice.number,
            "amount": format_euros(invoice.remaining),
            "date": date_format(invoice.due_on, "j F Y"),
        }
        if invoice.state == PaymentState.OVERDUE:
            text = gettext("Invoice no. %(number)s: %(amount)s, overdue since %(date)s.")
        else:
            text = gettext("Invoice no. %(number)s: %(amount)s to pay by %(date)s.")
        items.append(
            AttentionItem(
                text=text % values,
                url=portal_reverse(request, "invoicing:invoice_detail", invoice.pk),
                level="warning" if invoice.state == PaymentState.OVERDUE else "info",
            )
        )
    return items
