"""Absences on booked days: the family declares (with a certificate if it has one), staff
excuse the day (not billed) or bill it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import UploadError
from core.states import Moves, is_allowed
from core.time import PARIS
from core.uploads import check_upload
from portal_features.alerts.kinds import AlertKind
from portal_features.alerts.tell import FileEvent, family_tell
from portal_features.audit import family_event_record
from portal_features.models import FamilyEvent, Link
from portal_features.upload_limits import family_uploads_reserve

from ..choices import ABSENCE_TRANSITIONS, AbsenceStatus, ReservationStatus
from ..eligibility import cancellation_deadline, local_datetime
from ..errors import CertificateError, ReservationError
from ..models import Absence, Reservation
from ..opening import commune_holiday_check

A = AbsenceStatus
ALREADY_DECIDED = gettext_lazy("This absence is already “%(status)s”.")
MOVES = Moves(ABSENCE_TRANSITIONS, ReservationError, ALREADY_DECIDED)


def justification_deadline(reservation) -> datetime.datetime:
    """Until when an absence on this day can be declared: the end of the day plus the
    rule's delay (48 h by default)."""
    rule = reservation.unit.activity.rule
    hours = rule.absence_justification_hours if rule else 48
    day_end = datetime.datetime.combine(
        reservation.day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=PARIS
    )
    # Real hours: added in UTC, so a clock change in between neither adds nor takes one.
    return (day_end.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(PARIS)


def absence_declare(
    *,
    family,
    reservation_id: int,
    user,
    reason: str,
    comment: str = "",
    certificate=None,
    now=None,
) -> Absence:
    """After the cancellation deadline, the family says the child will not come (or did not)."""
    now = now or timezone.now()
    if reason not in Absence.Reason.values:
        raise ReservationError(_("Please choose the reason for the absence."))
    checked = None
    if certificate is not None:
        try:
            checked = check_upload(certificate)
        except ValidationError as error:
            raise CertificateError(error.messages[0]) from error
    with transaction.atomic():
        # The family first, as every family upload locks it, then the reservation.
        try:
            family_uploads_reserve(family=family, sizes=[checked.size] if checked else [], now=now)
        except UploadError as error:
            raise CertificateError(error.message) from error
        reservation = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("unit__activity__rule", "child")
            .for_family(family)
            .get(pk=reservation_id)
        )
        if reservation.status != ReservationStatus.ACCEPTED:
            raise ReservationError(_("An absence can only be declared on a validated day."))
        if hasattr(reservation, "absence"):
            raise ReservationError(_("An absence is already declared on this day."))
        activity = reservation.unit.activity
        if now <= cancellation_deadline(activity, reservation.day, commune_holiday_check()):
            raise ReservationError(
                _("The day can still be cancelled free of charge: cancel it instead.")
            )
        deadline = justification_deadline(reservation)
        if now > deadline:
            raise ReservationError(
                _("Absences on this day could be declared until %(date)s.")
                % {"date": local_datetime(deadline)}
            )
        absence = Absence(
            reservation=reservation,
            reason=reason,
            comment=comment,
            status=A.DECLARED,
            declared_at=now,
            declared_by=user,
        )
        if checked is not None:
            absence.content_type = checked.content_type
            absence.original_name = checked.original_name
            absence.size = checked.size
            absence.certificate.save("certificate", checked.file, save=False)
        try:
            absence.save()
        except Exception:
            if absence.certificate:
                absence.certificate.delete(save=False)
            raise
        family_event_record(
            family=family,
            actor=user,
            action=FamilyEvent.Action.CREATED,
            description=_("Absence declared: %(reservation)s") % {"reservation": reservation},
            now=now,
        )
    return absence


def _absence_decide(*, absence_id: int, to_status: str, actor, note: str, now) -> Absence:
    now = now or timezone.now()
    with transaction.atomic():
        absence = (
            Absence.objects.select_for_update(of=("self",))
            .select_related("reservation__family", "reservation__child", "reservation__unit")
            .get(pk=absence_id)
        )
        absence.staff_note = note
        MOVES.decide(absence, to_status, actor=actor, now=now, also=["staff_note"])
        _tell(absence, actor=actor, note=note, now=now)
    return absence


def _tell(absence: Absence, *, actor, note: str, now) -> None:
    """Record the decision on the family's file and tell the family."""
    reservation = absence.reservation
    excused = absence.status == A.EXCUSED
    title = (
        _("Absence excused: %(reservation)s") if excused else _("Absence billed: %(reservation)s")
    ) % {"reservation": reservation}
    family_tell(
        reservation.family,
        kind=AlertKind.REQUEST_ACCEPTED if excused else AlertKind.REQUEST_REFUSED,
        title=title,
        body=note,
        link=Link("reservations:calendar"),
        actor=actor,
        event=FileEvent(
            FamilyEvent.Action.ACCEPTED if excused else FamilyEvent.Action.REFUSED,
            data={"absence_id": absence.pk, "note": note},
        ),
        now=now,
    )


def absence_record(
    *, reservation: Reservation, status: str, actor, note: str = "", now=None
) -> Absence:
    """Staff decide a day with no absence declared (typically marked "absent" at roll
    call): excused (not billed) or billed. Until then the day is billed to nobody and
    shows as « absent (à décider) »; the family is told the decision."""
    now = now or timezone.now()
    if status not in (A.EXCUSED, A.BILLED) or not is_allowed_absence(None, status):
        raise ReservationError(_("Choose whether the absence is excused or billed."))
    with transaction.atomic():
        locked = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("family", "child", "unit")
            .get(pk=reservation.pk)
        )
        if locked.status not in (
            ReservationStatus.ACCEPTED,
            ReservationStatus.CANCELLATION_REQUESTED,
        ):
            raise ReservationError(_("An absence can only be recorded on a validated day."))
        if Absence.objects.filter(reservation=locked).exists():
            raise ReservationError(_("An absence is already recorded on this day."))
        absence = Absence(
            reservation=locked,
            reason=Absence.Reason.OTHER,
            comment=_("Recorded by staff."),
            declared_at=now,
            declared_by=actor,
            staff_note=note,
        )
        MOVES.decide(absence, status, actor=actor, now=now)
        _tell(absence, actor=actor, note=note, now=now)
    return absence


def is_allowed_absence(from_status, to_status) -> bool:
    return is_allowed(ABSENCE_TRANSITIONS, from_status, to_status)


def absence_excuse(*, absence_id: int, actor, note: str = "", now=None) -> Absence:
    return _absence_decide(
        absence_id=absence_id, to_status=A.EXCUSED, actor=actor, note=note, now=now
    )


def absence_bill(*, absence_id: int, actor, note: str, now=None) -> Absence:
    if not note.strip():
        raise ReservationError(_("Please tell the family why the absence is billed."))
    return _absence_decide(
        absence_id=absence_id, to_status=A.BILLED, actor=actor, note=note, now=now
    )
