"""Recording what happens to a family's file: who, when, what (shown to staff on the file)."""

from django.utils import timezone

from core.actors import user_or_none

from .models import FamilyEvent


def family_event_record(
    *, family, actor, action: str, description: str, data: dict | None = None, now=None
) -> FamilyEvent:
    return FamilyEvent.objects.create(
        family=family,
        actor=user_or_none(actor),
        action=action,
        description=description,
        data=data or {},
        created_at=now or timezone.now(),
    )
