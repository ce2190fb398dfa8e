"""A new family's or a new child's administrative files, with the account or the child
(registered in apps.py).

The family certified its information when signing up (« je certifie »), or when asking for a
new child from « Mon dossier »: that is what the administrative file asks, so the child's file
of each school year open to enrolment is sent with the account or the child, and validated in
the same staff step when staff validate the documents too. A file whose documents are
missing waits for them, as if never sent; one whose documents are not all valid waits in
its queue."""

from core.time import local_today
from portal_features.models import Guardian

from .errors import ReservationError
from .models import Enrolment
from .models.registrations import LIVE_REQUEST
from .selectors.requests import enrolment_school_years
from .services.requests import enrolment_accept, enrolment_submit


def _enrolments(*, family, children, user, actor, now, validate: bool) -> None:
    """Each child's file of the school years open to enrolment, sent (by `user`, who
    certified) and, with `validate`, validated; all through the enrolment services."""
    for school_year in enrolment_school_years(today=local_today(now)):
        for child in children:
            if Enrolment.objects.filter(
                child=child, school_year=school_year, status__in=LIVE_REQUEST
            ).exists():
                continue  # a child linked from another household: its file is already sent
            try:
                enrolment = enrolment_submit(
                    family=family,
                    child_id=child.pk,
                    school_year_id=school_year.pk,
                    user=user,
                    now=now,
                )
            except ReservationError:
                continue  # a required document is missing, or the file is already sent
            if not validate:
                continue
            try:
                enrolment_accept(enrolment_id=enrolment.pk, actor=actor, now=now)
            except ReservationError:
                continue  # a document is still not valid: the file waits in the queue


def enrolments_for_new_family(*, family, children, actor, now, validate: bool) -> None:
    primary = Guardian.objects.select_related("user").filter(family=family, is_primary=True)
    user = primary.first().user
    _enrolments(
        family=family, children=children, user=user, actor=actor, now=now, validate=validate
    )


def new_child_files(today) -> list[str]:
    """What a family may send with a new child: its administrative file of these years."""
    return [str(school_year) for school_year in enrolment_school_years(today=today)]


def enrolments_for_new_child(
    *, family, child, user, actor, now, certified: bool, validate: bool
) -> None:
    if not certified:
        return  # the family sends the file later, from « Inscriptions et réservations »
    _enrolments(family=family, children=[child], user=user, actor=actor, now=now, validate=validate)
