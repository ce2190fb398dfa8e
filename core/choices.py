"""What a family asks and a staff member decides: one set of statuses for every request.

Account requests, change requests, enrolments and registrations all read the same way:

    (new) ──► pending ──► accepted ──► cancelled
                 │  └──► refused
                 └──► cancelled

Each app keeps its own transition table (an account request is never cancelled; an
enrolment may be) and its own database check of the values it allows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting validation")
    ACCEPTED = "accepted", _("Validated")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
