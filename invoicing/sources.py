"""The one door through which invoicing reads reservations: billable days, their alerts and
their prices. No other module of invoicing imports `reservations.pricing` or
`reservations.selectors.billing`.

The services take a `sources=` argument, defaulting to `ReservationSources()`; tests pass
their own provider of billable days and prices (the same shapes, see below), so that the
invoices, lines, numbers and triggers they check are real rows.

What invoicing reads of each shape:
- a billable day: `reservation_id, family_id, child_id, unit_id, activity_id, day,
  situation` (`reservations.selectors.billing.BillableDay`);
- a price: `amount` (the rounded unit price), `kind` ("childcare" | "meal"), `qf_missing`,
  `as_json()` (frozen on the line) and `explanation()` (printed as the tariff basis)
  (`reservations.pricing.PriceResult`);
- an alert: see `alert_as_dict`.
"""

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from reservations import pricing
from reservations.selectors import billing


class BillingSources(Protocol):
    def billable_days(
        self, *, activity_ids: list[int], start: datetime.date, end: datetime.date
    ) -> list[Any]: ...

    def billing_alerts(
        self, *, activity_ids: list[int], start: datetime.date, end: datetime.date
    ) -> list[Any]: ...

    def pricing_context(
        self,
        *,
        unit_ids: Iterable[int],
        family_ids: Iterable[int],
        start: datetime.date,
        end: datetime.date,
        known_at: datetime.datetime | None = None,
    ) -> Any: ...

    def prices_for(
        self, *, family, child, unit, day: datetime.date, situation: str, context
    ) -> list[Any]: ...


class ReservationSources:
    """The reservations side: its billing selectors and its pricing door. `end` is the
    first day after the period; the services keep only days before it, so the result is the
    same whether the selectors read `end` as included or not."""

    def billable_days(self, *, activity_ids, start, end):
        return billing.billable_days(activity_ids=activity_ids, start=start, end=end)

    def billing_alerts(self, *, activity_ids, start, end):
        return billing.billing_alerts(activity_ids=activity_ids, start=start, end=end)

    def pricing_context(self, *, unit_ids, family_ids, start, end, known_at=None):
        return pricing.PricingContext.load(
            unit_ids=list(unit_ids),
            family_ids=list(family_ids),
            start=start,
            end=end,
            quotients_known_at=known_at,
        )

    def prices_for(self, *, family, child, unit, day, situation, context):
        return pricing.prices_for(
            family=family, child=child, unit=unit, day=day, situation=situation, context=context
        )


def default_sources() -> BillingSources:
    return ReservationSources()


def alert_as_dict(alert) -> dict:
    """A reservations alert as the run's summary keeps it: its kind, the family and child it
    concerns (ids, or None), its day and its French message."""
    day = getattr(alert, "day", None)
    return {
        "kind": str(getattr(alert, "kind", "") or "reservation"),
        "family_id": getattr(alert, "family_id", None),
        "child_id": getattr(alert, "child_id", None),
        "day": day.isoformat() if day else None,
        "message": str(getattr(alert, "message", "") or alert),
    }
