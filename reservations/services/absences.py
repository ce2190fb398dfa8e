"""Absences on booked days: the family declares (with a certificate if it has one), staff
excuse the day (not billed) or bill it."""

import datetime
import uuid

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


def _checked_certificate(certificate):
    if certificate is None:
        return None
    try:
        return check_upload(certificate)
    except ValidationError as error:
        raise CertificateError(error.messages[0]) from error


def _reserve(family, checked, now) -> None:
    # The family first, as every family upload locks it, then the reservations.
    try:
        family_uploads_reserve(family=family, sizes=[checked.size] if checked else [], now=now)
    except UploadError as error:
        raise CertificateError(error.message) from error


def _check_declarable(reservation, now, is_holiday) -> None:
    if reservation.status != ReservationStatus.ACCEPTED:
        raise ReservationError(_("An absence can only be declared on a validated day."))
    if hasattr(reservation, "absence"):
        raise ReservationError(_("An absence is already declared on this day."))
    activity = reservation.unit.activity
    if now <= cancellation_deadline(activity, reservation.day, is_holiday):
        raise ReservationError(
            _("The day can still be cancelled free of charge: cancel it instead.")
        )
    deadline = justification_deadline(reservation)
    if now > deadline:
        raise ReservationError(
            _("Absences on this day could be declared until %(date)s.")
            % {"date": local_datetime(deadline)}
        )


def is_declarable(reservation, now, is_holiday) -> bool:
    """The screens' view of `_check_declarable`: no day offered that would be refused."""
    try:
        _check_declarable(reservation, now, is_holiday)
    except ReservationError:
        return False
    return True


def _store_certificate(absences: list[Absence], checked) -> None:
    """One stored file for the whole declaration: the first absence saves it and carries
    its size (the family's quota counts it once), the others point to the same file."""
    first, *others = absences
    first.content_type = checked.content_type
    first.original_name = checked.original_name
    first.size = checked.size
    first.certificate.save("certificate", checked.file, save=False)
    for absence in others:
        absence.content_type = checked.content_type
        absence.original_name = checked.original_name
        absence.size = 0
        absence.certificate.name = first.certificate.name


def absences_declare(
    *,
    family,
    reservation_ids,
    user,
    reason: str,
    comment: str = "",
    certificate=None,
    now=None,
) -> list[Absence]:
    """One declaration for several validated days (several units, several children) past
    their free cancellation, with one certificate for them all. All or nothing: a day that
    cannot take an absence refuses the declaration and says which."""
    now = now or timezone.now()
    if reason not in Absence.Reason.values:
        raise ReservationError(_("Please choose the reason for the absence."))
    reservation_ids = sorted(set(reservation_ids))
    if not reservation_ids:
        raise ReservationError(_("Tick at least one day."))
    checked = _checked_certificate(certificate)
    is_holiday = commune_holiday_check()
    with transaction.atomic():
        _reserve(family, checked, now)
        reservations = list(
            Reservation.objects.select_for_update(of=("self",))
            .select_related("unit__activity__rule", "child", "absence")
            .for_family(family)
            .filter(pk__in=reservation_ids)
            .order_by("day", "unit__start_time", "pk")
        )
        if len(reservations) != len(reservation_ids):
            raise Reservation.DoesNotExist
        for reservation in reservations:
            try:
                _check_declarable(reservation, now, is_holiday)
            except ReservationError as error:
                if len(reservations) == 1:
                    raise  # its screen names the day already
                raise ReservationError(f"{reservation} : {error.message}") from error
        key = uuid.uuid4() if len(reservations) > 1 else None
        absences = [
            Absence(
                reservation=reservation,
                reason=reason,
                comment=comment,
                status=A.DECLARED,
                declared_at=now,
                declared_by=user,
                declaration=key,
            )
            for reservation in reservations
        ]
        if checked is not None:
            _store_certificate(absences, checked)
        try:
            for absence in absences:
                absence.save()
        except Exception:
            if absences[0].certificate:
                absences[0].certificate.delete(save=False)
            raise
        for reservation in reservations:
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CREATED,
                description=_("Absence declared: %(reservation)s") % {"reservation": reservation},
                now=now,
            )
    return absences


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
    (absence,) = absences_declare(
        family=family,
        reservation_ids=[reservation_id],
        user=user,
        reason=reason,
        comment=comment,
        certificate=certificate,
        now=now,
    )
    return absence


def absence_certificate_add(*, family, absence_id: int, user, certificate, now=None) -> list:
    """The certificate comes after the declaration (the doctor's visit was later): added to
    every absence of the declaration still awaiting staff and still without one."""
    now = now or timezone.now()
    checked = _checked_certificate(certificate)
    if checked is None:
        raise CertificateError(_("Choose the file of the medical certificate."))
    with transaction.atomic():
        _reserve(family, checked, now)
        absence = (
            Absence.objects.select_for_update(of=("self",))
            .for_family(family)
            .select_related("reservation")
            .get(pk=absence_id)
        )
        if absence.status != A.DECLARED:
            raise ReservationError(ALREADY_DECIDED % {"status": absence.get_status_display()})
        if absence.certificate:
            raise ReservationError(_("This absence already has a medical certificate."))
        together = [absence]
        if absence.declaration is not None:
            together = list(
                Absence.objects.select_for_update(of=("self",))
                .for_family(family)
                .select_related("reservation")
                .filter(declaration=absence.declaration, status=A.DECLARED, certificate="")
                .order_by("reservation__day", "pk")
            )
        _store_certificate(together, checked)
        for each in together:
            each.save(update_fields=["certificate", "original_name", "content_type", "size"])
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CHANGED,
                description=_("Medical certificate added: %(reservation)s")
                % {"reservation": each.reservation},
                now=now,
            )
    return together


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
