"""One way to tell a family: the event on its file and the alert, in one call.

    family_tell(
        family,
        kind=AlertKind.DOCUMENT_VALIDATED,
        title=gettext("Document validated: %(document)s") % {"document": label},
        body=validity,
        link=Link("documents:list"),
        actor=actor,
        event=FileEvent(FamilyEvent.Action.ACCEPTED, data={"document_id": document.pk}),
        now=now,
    )

- `kind`: a code some app registered (`alerts.kinds.register_kinds`); any other is refused.
- `link`: a portal view and its arguments (`Link`), resolved when the alert is shown or
  e-mailed; a service never builds an address.
- `event`: what staff read in the family file's history (`FileEvent`: its action, its
  description, the title by default, and details); `None` for an alert that records
  nothing (a reminder, a place offered by the waiting list).
- `email`: a copy to each guardian with an account who agreed to e-mails, queued once the
  caller's transaction commits (never for a rolled-back one) with the alert's id: the task
  worker reads the recipients, renders and sends; `False` when the caller sends its own,
  fuller e-mail.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ..audit import family_event_record
from ..models import Link, Notification
from .emails import notification_email_queue
from .kinds import is_registered

__all__ = ["FileEvent", "Link", "family_tell"]


@dataclass(frozen=True)
class FileEvent:
    """The line written in the family file's history (`FamilyEvent`)."""

    action: str
    description: str = ""  # the alert's title when empty
    data: dict = field(default_factory=dict)


def family_tell(
    family,
    *,
    kind: str,
    title: str,
    body: str = "",
    link: Link | None = None,
    actor=None,
    event: FileEvent | None = None,
    email: bool = True,
    now=None,
) -> Notification:
    """Record `event` on the family's file (by `actor`), store the alert, and queue its
    e-mail copy on commit. Call it inside the transaction of the change it tells."""
    if not is_registered(kind):
        raise ValueError(f"Unknown alert kind {kind!r}: register it in its app's ready().")
    now = now or timezone.now()
    if event is not None:
        family_event_record(
            family=family,
            actor=actor,
            action=event.action,
            description=event.description or title,
            data=event.data,
            now=now,
        )
    notification = Notification.objects.create(
        family=family,
        kind=kind,
        title=title,
        body=body,
        link_view=link.view if link else "",
        link_kwargs=link.kwargs if link else {},
        created_at=now,
    )
    if email:
        notification_email_queue(notification_id=notification.pk)
    return notification
