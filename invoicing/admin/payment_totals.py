"""The régisseur's day book above « Paiements »: the valid payments of the list as it is
filtered (a day with « du … au … », a régie, a means…), counted and summed per means of
payment — online card and debit, counter, direct debit — with their grand total, to match
against the bank statement, the PayFiP/Systempay reports and the cash box. Cancelled
payments are listed but not counted."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from core.staff.base import StrictIndexView
from core.staff.filters import DAY_FROM, DAY_TO

from ..choices import PaymentMode, PaymentStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ModeTotal:
    mode: str
    label: str
    count: int
    total: Decimal


def totals_by_mode(payments) -> list[ModeTotal]:
    """Per means of payment (in the list's order of means), the valid payments' count and
    sum."""
    rows = {
        row["mode"]: row
        for row in payments.filter(status=PaymentStatus.VALID)
        .order_by()
        .values("mode")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }
    return [
        ModeTotal(mode.value, str(mode.label), rows[mode]["count"], rows[mode]["total"])
        for mode in PaymentMode
        if mode in rows
    ]


class PaymentIndexView(StrictIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = totals_by_mode(self.queryset)
        context.update(
            mode_totals=totals,
            mode_totals_count=sum(t.count for t in totals),
            mode_totals_sum=sum((t.total for t in totals), ZERO),
            day_book_date=self._one_day(),
        )
        return context

    def _one_day(self):
        """The day the list is filtered on, when it is one day."""
        for spec in self.filter_specs:
            dates = getattr(spec, "dates", None)
            if dates and dates.get(DAY_FROM) and dates.get(DAY_FROM) == dates.get(DAY_TO):
                return dates[DAY_FROM]
        return None
