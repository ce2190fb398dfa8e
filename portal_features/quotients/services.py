"""Recording a family's quotient familial: a change request accepted (source attestation),
staff typing it (source staff), or an import (CAF, MSA).

A new record never overwrites: the records in force that it overlaps are marked superseded
and what remains of them outside the new period is written again, so that the records in
force never overlap and those of any past instant stay readable.
"""

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from core.actors import user_or_none
from core.validity import period_text

from ..audit import family_event_record
from ..errors import PortalError
from ..models import Family, FamilyEvent, QuotientRecord

logger = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)


class QuotientError(PortalError):
    """A refused quotient; `field` names the field the message belongs next to."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _remainders(record: QuotientRecord, start, end) -> list[tuple]:
    """The parts of `record`'s period outside [start, end] (end None: open-ended)."""
    parts = []
    if record.valid_from < start:
        parts.append((record.valid_from, start - DAY))
    if end is not None and (record.valid_until is None or record.valid_until > end):
        parts.append((end + DAY, record.valid_until))
    return parts


def _first_error(error: ValidationError) -> tuple[str | None, str]:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return (None if field == "__all__" else field), str(errors[0].messages[0])
    return None, str(error.messages[0])


def quotient_record_add(
    *,
    family: Family,
    value: Decimal,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    source: str,
    actor=None,
    now=None,
) -> QuotientRecord:
    """Record the family's QF for [valid_from, valid_until] (open-ended without an end).

    Records in force it overlaps are superseded (their remaining days are kept as new
    records); the family's file logs the change. Raises QuotientError with the field.
    """
    now = now or timezone.now()
    if value is not None:
        value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if source not in QuotientRecord.Source.values:
        raise ValueError(f"Unknown quotient source {source!r}")
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        raise QuotientError(
            gettext("The end of validity cannot come before its start."), field="valid_until"
        )
    with transaction.atomic():
        # One change at a time per family: the overlap read below stays true until commit.
        Family.objects.select_for_update().only("pk").get(pk=family.pk)
        overlapped = list(
            QuotientRecord.objects.select_for_update()
            .filter(family=family)
            .in_force()
            .overlapping(valid_from, valid_until)
        )
        kept = []
        for old in overlapped:
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
            kept += [
                QuotientRecord(
                    family=family,
                    value=old.value,
                    valid_from=start,
                    valid_until=end,
                    source=old.source,
                    recorded_at=now,
                    recorded_by=old.recorded_by,
                )
                for start, end in _remainders(old, valid_from, valid_until)
            ]
        record = QuotientRecord(
            family=family,
            value=value,
            valid_from=valid_from,
            valid_until=valid_until,
            source=source,
            recorded_at=now,
            recorded_by=user_or_none(actor),
        )
        try:
            record.full_clean(exclude=["family"])
            for remainder in kept:
                remainder.full_clean(exclude=["family"])
        except ValidationError as error:
            field, message = _first_error(error)
            raise QuotientError(message, field=field) from error
        try:
            with transaction.atomic():
                QuotientRecord.objects.bulk_create([*kept, record])
        except IntegrityError as error:  # the exclusion constraint, should a row slip by
            raise QuotientError(
                gettext("This period overlaps another quotient of the family."),
                field="valid_from",
            ) from error
        family_event_record(
            family=family,
            actor=actor,
            action=FamilyEvent.Action.CHANGED,
            description=gettext("Quotient familial %(value)s recorded %(period)s (%(source)s).")
            % {
                "value": number_format(record.value),
                "period": period_text(valid_from, valid_until),
                "source": record.get_source_display(),
            },
            data={
                "value": str(record.value),
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "source": record.source,
            },
            now=now,
        )
    logger.info("Quotient recorded for family %s (%s)", family.number, source)
    return record
