"""What one family may keep and send: a storage quota and an hourly upload rate.

Without them one parent could fill the private storage or keep the app servers parsing files.
The quota is the sum of the sizes of the files the family sent that are still stored
(supporting documents, its message attachments, medical certificates: every model with
`PrivateFileMixin.files_counted_for`); files staff send and data exports do not count. The
rate counts accepted files over the last hour in the shared cache.

Both are checked in the transaction that stores the files, with the family's row locked:
thirty uploads at the same second are served one after the other, so they cannot all take the
last megabytes or the last places of the hour.
"""

import datetime
import math

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.errors import UploadError
from core.french import file_size
from core.storage import PrivateFileMixin

from .models import Family

RATE_WINDOW = datetime.timedelta(hours=1)


def storage_quota_bytes() -> int:
    return settings.FAMILY_STORAGE_QUOTA_MB * 1024 * 1024


def family_storage_used(*, family) -> int:
    """Bytes of the family's files still in the private storage, counted against its quota."""
    total = 0
    for model in apps.get_models():
        if not issubclass(model, PrivateFileMixin):
            continue
        counted = model.files_counted_for(family)
        if counted is not None:
            total += counted.aggregate(total=Sum("size"))["total"] or 0
    return total


def _rate_key(family_id: int) -> str:
    return f"portal:uploads:{family_id}"


def _check_rate(*, family, count: int, now: datetime.datetime) -> list[float]:
    """The upload times still in the window, once sure `count` more fit in it."""
    limit = settings.FAMILY_UPLOADS_PER_HOUR
    window_start = (now - RATE_WINDOW).timestamp()
    stored = cache.get(_rate_key(family.pk), [])
    recent = sorted(moment for moment in stored if moment > window_start)
    room = limit - len(recent)
    if count <= room:
        return recent
    if count > limit:
        raise UploadError(
            _("Your family may send at most %(limit)d files per hour: send fewer at once.")
            % {"limit": limit},
            index=max(room, 0),
        )
    # The oldest uploads leave the window first; wait until enough of them have.
    freed_at = recent[count - room - 1] + RATE_WINDOW.total_seconds()
    minutes = max(1, math.ceil((freed_at - now.timestamp()) / 60))
    raise UploadError(
        _(
            "Your family has sent %(count)d files in the last hour, the most allowed. "
            "Please try again in %(minutes)d min."
        )
        % {"count": len(recent), "minutes": minutes},
        index=max(room, 0),
    )


def _check_quota(*, family, sizes: list[int]) -> None:
    quota = storage_quota_bytes()
    used = family_storage_used(family=family)
    total = used
    for index, size in enumerate(sizes):
        total += size
        if total > quota:
            raise UploadError(
                _(
                    "This file does not fit in your family's storage space: %(used)s of "
                    "%(quota)s are already used. Please contact the service."
                )
                % {"used": file_size(used), "quota": file_size(quota)},
                index=index,
            )


def _lock_family(family) -> None:
    """Until the transaction ends, other uploads of this family wait here."""
    list(Family.objects.select_for_update().filter(pk=family.pk).values_list("pk", flat=True))


def family_uploads_reserve(*, family, sizes: list[int], now: datetime.datetime) -> None:
    """Inside the transaction that stores the files, before writing them: lock the family,
    refuse (UploadError, in French) what exceeds the rate or the quota, count the rest."""
    if not sizes:
        return
    _lock_family(family)
    recent = _check_rate(family=family, count=len(sizes), now=now)
    _check_quota(family=family, sizes=sizes)
    cache.set(
        _rate_key(family.pk),
        recent + [now.timestamp()] * len(sizes),
        timeout=int(RATE_WINDOW.total_seconds()),
    )
