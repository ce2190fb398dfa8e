"""A new family's administrative files, with its account (registered in apps.py).

The family certified its information when signing up (« je certifie »): that is what the
administrative file asks, so each child's file of the school years open to enrolment is
sent with the account, and validated in the same staff step when staff validate its
documents too. A file whose documents are missing waits for them, as if never sent."""

from core.time import local_today
from portal_features.models import Guardian

from .errors import ReservationError
from .selectors.requests import enrolment_school_years
from .services.requests import enrolment_accept, enrolment_submit


def enrolments_for_new_family(*, family, children, actor, now, validate: bool) -> None:
    primary = Guardian.objects.select_related("user").filter(family=family, is_primary=True)
    user = primary.first().user
    for school_year in enrolment_school_years(today=local_today(now)):
        for child in children:
            try:
                enrolment = enrolment_submit(
                    family=family,
                    child_id=child.pk,
                    school_year_id=school_year.pk,
                    user=user,
                    now=now,
                )
            except ReservationError:
                continue  # a required document is missing: the family sends the file later
            if not validate:
                continue
            try:
                enrolment_accept(enrolment_id=enrolment.pk, actor=actor, now=now)
            except ReservationError:
                continue  # a document is still not valid: the file waits in the queue
