"""How long an account request that made no family is kept (RGPD: no longer than needed).

An accepted request's documents became the new family's supporting documents (the same
files) and the request stays with the family's file, anonymised with it. The others hold a
household's names, address, children and, while undecided, its documents, for nothing once
decided or abandoned:

- a refused request (its files were deleted on refusal) goes SIGNUP_REFUSED_KEEP_DAYS (90)
  days after the refusal, time enough to answer a family that asks why;
- a request nobody decided goes SIGNUP_PENDING_KEEP_DAYS (183) days after it was sent, with
  its documents: the household may ask again (one open request per address would stop it).

`manage.py purge_private_files` (daily) calls `signup_requests_purge`.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.choices import RequestStatus

from ..models import SignupAttachment, SignupRequest

logger = logging.getLogger(__name__)


def _expired(now: datetime.datetime) -> Q:
    refused_before = now - datetime.timedelta(days=settings.SIGNUP_REFUSED_KEEP_DAYS)
    pending_before = now - datetime.timedelta(days=settings.SIGNUP_PENDING_KEEP_DAYS)
    return Q(status=RequestStatus.REFUSED, decided_at__lte=refused_before) | Q(
        status=RequestStatus.PENDING, created_at__lte=pending_before
    )


def signup_requests_purge(*, now=None) -> int:
    """Delete the refused and the long undecided requests, their documents' rows and files.

    One request per transaction, locked and read again (staff may decide it meanwhile); its
    files are deleted inside the transaction, so a failed deletion keeps the rows and the
    next run tries again. Accepted requests are never touched. Returns how many went."""
    now = now or timezone.now()
    storage = SignupAttachment._meta.get_field("file").storage
    purged = 0
    for pk in list(SignupRequest.objects.filter(_expired(now)).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = SignupRequest.objects.select_for_update().filter(_expired(now), pk=pk).first()
            if locked is None:
                continue  # decided or purged meanwhile
            names = [name for name in locked.attachments.values_list("file", flat=True) if name]
            locked.delete()  # its attachments' rows with it
            for name in names:
                storage.delete(name)
        purged += 1
    if purged:
        logger.info("%s account request(s) refused or never decided deleted", purged)
    return purged
