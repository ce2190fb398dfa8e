"""The log of staff actions on money: who, when, what it was before → after."""

from ..models import MoneyEvent


def money_event(*, action, actor, at, before=None, after=None, note="", **about) -> MoneyEvent:
    """An unsaved event (saved alone, or with others in one bulk insert)."""
    return MoneyEvent(
        action=action,
        actor=user_or_none(actor),
        at=at,
        before=before or {},
        after=after or {},
        note=note[:255],
        **about,
    )


def money_event_record(**kwargs) -> MoneyEvent:
    event = money_event(**kwargs)
    event.save()
    return event


def user_or_none(actor):
    """The staff member to record, or None for the system (cron) or an anonymous caller."""
    return actor if actor is not None and actor.is_authenticated else None
