"""What staff do on a family's file, recorded in its event log (who, when, what)."""

import datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import family_event_record
from ..errors import PortalError
from ..models import ChildMembership, FamilyEvent

# Opening a file again within this delay is not recorded again (keeps the log readable).
VIEW_RECORD_INTERVAL = datetime.timedelta(minutes=10)


def family_view_record(*, family, actor, now=None) -> FamilyEvent | None:
    """Record that a staff member opened the file, at most once per VIEW_RECORD_INTERVAL."""
    now = now or timezone.now()
    already = FamilyEvent.objects.filter(
        family=family,
        actor=actor,
        action=FamilyEvent.Action.VIEWED,
        created_at__gt=now - VIEW_RECORD_INTERVAL,
    ).exists()
    if already:
        return None
    return family_event_record(
        family=family,
        actor=actor,
        action=FamilyEvent.Action.VIEWED,
        description=_("File opened by staff."),
        now=now,
    )


def _plain(value):
    """A value as it reads in the log (JSON-ready)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # Decimal, a related object…


def staff_edit_save(*, form, actor, families, description: str, now=None):
    """Save a staff edit form directly and record {field: [old, new]} on each family concerned.

    The row is locked while its previous values are read, so two staff saving at once each
    record what they really changed.
    """
    now = now or timezone.now()
    instance = form.instance
    model = type(instance)
    with transaction.atomic():
        before = model._default_manager.select_for_update().get(pk=instance.pk)
        changes = {}
        for name in form.changed_data:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field: nothing stored to compare
                continue
            if not getattr(field, "concrete", False) or field.many_to_many:
                continue
            old, new = getattr(before, field.name), getattr(instance, field.name)
            if old != new:
                changes[field.name] = [_plain(old), _plain(new)]
        saved = form.save()
        if changes:
            for family in families:
                family_event_record(
                    family=family,
                    actor=actor,
                    action=FamilyEvent.Action.CHANGED,
                    description=description,
                    data=changes,
                    now=now,
                )
    return saved, changes


def membership_custody_set(
    *, membership: ChildMembership, custody: str, weekdays, actor, now=None
) -> ChildMembership:
    """Set which days the child is with this household (who pays a day come unbooked);
    recorded on the household's file. PortalError with the message of the field."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ChildMembership.objects.select_for_update()
            .select_related("child")
            .get(pk=membership.pk)
        )
        before = locked.custody_display
        locked.custody, locked.custody_weekdays = custody, list(weekdays or [])
        try:
            locked.full_clean()
        except ValidationError as error:
            raise PortalError(" ".join(error.messages)) from error
        locked.save(update_fields=["custody", "custody_weekdays"])
        family_event_record(
            family=locked.family,
            actor=actor,
            action=FamilyEvent.Action.CHANGED,
            description=_("Custody rhythm of %(child)s set by staff: %(rhythm)s.")
            % {"child": locked.child, "rhythm": locked.custody_display},
            data={"custody": [before, locked.custody_display]},
            now=now,
        )
    return locked
