"""Enrolments ("dossier administratif") and registrations ("inscriptions"): the family asks,
staff (or the activity's rule) decide, and the family is told."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import RequestStatus
from core.states import Moves
from core.time import local_today
from portal_features.alerts.kinds import AlertKind
from portal_features.alerts.tell import FileEvent, family_tell
from portal_features.audit import family_event_record
from portal_features.documents.selectors import pending_documents_relied_on
from portal_features.documents.services import supporting_documents_validate
from portal_features.models import Child, FamilyEvent, Link

from ..choices import REQUEST_TRANSITIONS, ValidationMode
from ..eligibility import enrolment_blockers, group_for_child, registration_blockers
from ..errors import ReservationError
from ..models import Activity, Enrolment, Registration, SchoolYear

R = RequestStatus


MESSAGE = gettext_lazy("This request is “%(status)s”: it cannot be changed any more.")
MOVES = Moves(REQUEST_TRANSITIONS, ReservationError, MESSAGE)


REGISTRATIONS_LINK = Link("reservations:registrations")


def enrolment_submit(
    *, family, child_id: int, school_year_id: int, user, comment: str = "", now=None
) -> Enrolment:
    """The family certifies its file for the school year; staff then validate it (its
    documents may still await validation: staff validate them first)."""
    now = now or timezone.now()
    child = Child.objects.for_family(family).get(pk=child_id)
    school_year = SchoolYear.objects.get(pk=school_year_id)
    # Documents sent and awaiting validation do not hold the file back: staff validate both.
    reasons = enrolment_blockers(
        family=family,
        child=child,
        school_year=school_year,
        today=local_today(now),
        pending_ok=True,
    )
    if reasons:
        raise ReservationError(_("The administrative file cannot be sent yet."), reasons=reasons)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                family=family,
                child=child,
                school_year=school_year,
                status=R.PENDING,
                comment=comment,
                created_at=now,
                created_by=user,
            )
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CREATED,
                description=_("Administrative file %(year)s sent for %(child)s")
                % {"year": school_year, "child": child.first_name},
                now=now,
            )
    except IntegrityError as error:
        raise ReservationError(
            _("The administrative file %(year)s of %(child)s was already sent.")
            % {"year": school_year, "child": child.first_name}
        ) from error
    return enrolment


def _decide(model, pk, to_status, describe, *, actor, reason="", now=None):
    """Staff accept or refuse a pending enrolment or registration; the family is told
    (`describe(obj)` is the alert's title). A refusal needs its reason."""
    now = now or timezone.now()
    if to_status == R.REFUSED and not reason.strip():
        raise ReservationError(_("Please give the reason for the refusal."))
    with transaction.atomic():
        obj = (
            model.objects.select_for_update(of=("self",))
            .select_related("child", "family")
            .get(pk=pk)
        )
        MOVES.decide(obj, to_status, actor=actor, reason=reason, now=now)
        accepted = to_status == R.ACCEPTED
        family_tell(
            obj.family,
            kind=AlertKind.REQUEST_ACCEPTED if accepted else AlertKind.REQUEST_REFUSED,
            title=describe(obj),
            body=reason,
            link=REGISTRATIONS_LINK,
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.ACCEPTED if accepted else FamilyEvent.Action.REFUSED,
                data={"id": obj.pk, "reason": reason},
            ),
            now=now,
        )
    return obj


def _enrolment_title(enrolment) -> str:
    text = {
        R.ACCEPTED: _("Administrative file %(year)s of %(child)s validated"),
        R.REFUSED: _("Administrative file %(year)s of %(child)s refused"),
    }[enrolment.status]
    return text % {"year": enrolment.school_year, "child": enrolment.child.first_name}


def enrolment_accept(
    *, enrolment_id: int, actor, validate_documents: bool = False, now=None
) -> Enrolment:
    """Validate the file once the required documents are valid; with `validate_documents`,
    staff validate in the same step the documents sent that it waits for (all or nothing)."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_related("family", "school_year", "child").get(
        pk=enrolment_id
    )
    on = max(local_today(now), enrolment.school_year.start_date)
    with transaction.atomic():
        if validate_documents:
            supporting_documents_validate(
                documents=pending_documents_relied_on(
                    enrolment.family, on=on, child=enrolment.child
                ),
                actor=actor,
                now=now,
            )
        reasons = enrolment_blockers(
            family=enrolment.family,
            child=enrolment.child,
            school_year=enrolment.school_year,
            today=local_today(now),
        )
        if reasons:
            raise ReservationError(
                _("The family's required documents are not in order."), reasons=reasons
            )
        return _decide(Enrolment, enrolment_id, R.ACCEPTED, _enrolment_title, actor=actor, now=now)


def enrolment_refuse(*, enrolment_id: int, actor, reason: str, now=None) -> Enrolment:
    return _decide(
        Enrolment, enrolment_id, R.REFUSED, _enrolment_title, actor=actor, reason=reason, now=now
    )


def _registration_title(registration) -> str:
    text = {
        R.ACCEPTED: _("Registration of %(child)s to %(activity)s validated"),
        R.REFUSED: _("Registration of %(child)s to %(activity)s refused"),
    }[registration.status]
    return text % {"child": registration.child.first_name, "activity": registration.activity}


def registration_create(*, family, child_id: int, activity_id: int, user, now=None) -> Registration:
    """Open an activity line for a child, if eligible; validated at once or by staff."""
    now = now or timezone.now()
    child = Child.objects.for_family(family).get(pk=child_id)
    activity = Activity.objects.published().select_related("school_year").get(pk=activity_id)
    groups = list(activity.groups.select_related("activity"))
    reasons = registration_blockers(
        family=family, child=child, activity=activity, now=now, groups=groups
    )
    if reasons:
        raise ReservationError(
            _("%(child)s cannot be registered to %(activity)s yet.")
            % {"child": child.first_name, "activity": activity},
            reasons=reasons,
        )
    automatic = activity.registration_validation == ValidationMode.AUTOMATIC
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                family=family,
                child=child,
                activity=activity,
                group=group_for_child(child, groups),
                status=R.ACCEPTED if automatic else R.PENDING,
                created_at=now,
                created_by=user,
                decided_at=now if automatic else None,
            )
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CREATED,
                description=_("Registration of %(child)s to %(activity)s")
                % {"child": child.first_name, "activity": activity},
                now=now,
            )
    except IntegrityError as error:
        raise ReservationError(
            _("%(child)s is already registered to this activity.") % {"child": child.first_name}
        ) from error
    return registration


def registration_accept(*, registration_id: int, actor, now=None) -> Registration:
    return _decide(
        Registration, registration_id, R.ACCEPTED, _registration_title, actor=actor, now=now
    )


def registration_refuse(*, registration_id: int, actor, reason: str, now=None) -> Registration:
    title = _registration_title
    return _decide(
        Registration, registration_id, R.REFUSED, title, actor=actor, reason=reason, now=now
    )


def registration_withdraw(*, family, registration_id: int, user, now=None) -> Registration:
    """The family withdraws a registration still awaiting validation."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("child", "activity")
            .for_family(family)
            .get(pk=registration_id)
        )
        if registration.status != R.PENDING:
            raise ReservationError(_("Only a registration awaiting validation can be withdrawn."))
        # The family withdraws: when, but no staff member decided.
        registration.decided_at = now
        MOVES.move(registration, R.CANCELLED, also=["decided_at"])
        family_event_record(
            family=family,
            actor=user,
            action=FamilyEvent.Action.CHANGED,
            description=_("Registration of %(child)s to %(activity)s withdrawn")
            % {"child": registration.child.first_name, "activity": registration.activity},
            now=now,
        )
    return registration
