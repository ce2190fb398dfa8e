"""A family's edits of its file become change requests that Enfance staff accept or refuse.

How `ChangeRequest.changes` is written (always a JSON object):

- update: `target` is the object changed; `{field: [old, new]}` holds only the fields whose
  value differs. Consents are edited on the child: key `"consent:<consent type id>"`,
  value `[old granted, new granted]` (a missing consent counts as not granted).
- create: `target` is the parent (the child; the family for a new quotient familial);
  `"__action__": "create:<model name>"` (one of CREATABLE) and `{field: [None, new]}` for
  the new object's fields. Accepting a new quotient records it with source "attestation"
  (`quotients.services.quotient_record_add`), superseding the one it overlaps.
- delete: `target` is the object to remove; `"__action__": "delete"` and `{field: [old, None]}`
  so that the family and staff read what goes, and a stale request is caught.

Values are stored as JSON (dates and decimals as text) and read back with the model field's
`to_python`.
"""

import json
import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import RequestStatus
from core.states import Moves
from core.validators import normalize_iban

from ..alerts.kinds import AlertKind
from ..alerts.tell import FileEvent, family_tell
from ..audit import family_event_record
from ..choices import CHANGE_REQUEST_TRANSITIONS
from ..documents.attachments import documents_validate
from ..errors import PortalError
from ..members import CHILD_FIELDS, GUARDIAN_FIELDS, child_add, guardian_add
from ..models import (
    AuthorizedPerson,
    ChangeRequest,
    Child,
    Consent,
    ConsentType,
    Family,
    FamilyEvent,
    Guardian,
    HealthRecord,
    Link,
    QuotientRecord,
    Vaccination,
)
from ..quotients.services import quotient_record_add
from .attachments import (
    change_attachments_discard,
    change_attachments_store,
    change_attachments_transfer,
)
from .hooks import new_child_accepted_run

logger = logging.getLogger(__name__)

ACTION_KEY = "__action__"
CONSENT_PREFIX = "consent:"
UPDATE, CREATE, DELETE = "update", "create", "delete"

# What a family may ask to change, per model (anything else in a request is refused).
EDITABLE_FIELDS = {
    Family: (
        "address_line",
        "address_complement",
        "postal_code",
        "city",
        "benefits_regime",
        "benefits_number",
        "bank_account_holder",
        "iban",
        "bic",
    ),
    # The same fields as a new guardian or child asked for (members.py).
    Guardian: GUARDIAN_FIELDS,
    Child: CHILD_FIELDS,
    HealthRecord: (
        "allergies",
        "has_pai",
        "pai_details",
        "meal_type",
        "diet_notes",
        "wears_glasses",
        "doctor_name",
        "doctor_phone",
        "remarks",
    ),
    Vaccination: ("vaccine", "date"),
    AuthorizedPerson: (
        "last_name",
        "first_name",
        "relationship",
        "phone",
        "may_pick_up",
        "emergency_contact",
    ),
    QuotientRecord: ("value", "valid_from", "valid_until"),
}
# Objects a family may ask to add: attached to a child, or (a quotient) to the family.
CREATABLE = {
    "authorizedperson": AuthorizedPerson,
    "healthrecord": HealthRecord,
    "vaccination": Vaccination,
    "quotientrecord": QuotientRecord,
}
# A new child or guardian (members.py): created when staff accept, the child linked instead
# when another household already has it.
CREATABLE.update({"child": Child, "guardian": Guardian})
CREATED_ON_FAMILY = (QuotientRecord, Child, Guardian)
DELETABLE = (AuthorizedPerson, Vaccination)

ALREADY_PROCESSED = _("This request has already been processed.")
MOVES = Moves(CHANGE_REQUEST_TRANSITIONS, PortalError, ALREADY_PROCESSED)
STALE = _("The file changed since the request; refuse it and ask the family to send it again.")
NOTHING_CHANGED = _("You have not changed anything.")
REQUESTS_LINK = Link("family_file:requests")


def request_action(changes: dict) -> tuple[str, str | None]:
    """("update", None), ("create", "<model name>") or ("delete", None)."""
    action = changes.get(ACTION_KEY, UPDATE)
    if action.startswith(CREATE + ":"):
        return CREATE, action.split(":", 1)[1]
    return action, None


def field_items(changes: dict) -> list[tuple[str, list]]:
    return [(name, pair) for name, pair in changes.items() if name != ACTION_KEY]


def _normalise(model, name, value):
    if model is Family and name == "iban":
        return normalize_iban(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _python(model, name, value):
    if name.startswith(CONSENT_PREFIX):
        return bool(value)
    return model._meta.get_field(name).to_python(value)


def _as_json(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _belongs_to(family: Family, target) -> bool:
    if isinstance(target, Family):
        return target.pk == family.pk
    if isinstance(target, (Guardian, AuthorizedPerson)):
        return target.family_id == family.pk
    if isinstance(target, Child):
        return target.memberships.filter(family=family).exists()
    if isinstance(target, HealthRecord):
        return target.child.memberships.filter(family=family).exists()
    if isinstance(target, Vaccination):
        return target.health_record.child.memberships.filter(family=family).exists()
    return False


def _consent_states(child: Child, type_ids) -> dict[int, bool]:
    granted = dict(
        Consent.objects.filter(child=child, consent_type_id__in=type_ids).values_list(
            "consent_type_id", "granted"
        )
    )
    return {type_id: granted.get(type_id, False) for type_id in type_ids}


def _update_diff(target, values: dict) -> dict:
    model = type(target)
    diff = {}
    consent_ids = [
        int(name.removeprefix(CONSENT_PREFIX)) for name in values if name.startswith(CONSENT_PREFIX)
    ]
    if consent_ids:
        if model is not Child:
            raise ValueError("Consents are changed on a child.")
        if ConsentType.objects.filter(pk__in=consent_ids, is_active=True).count() != len(
            set(consent_ids)
        ):
            raise ValueError("Unknown consent type.")
        current = _consent_states(target, consent_ids)
        for type_id in consent_ids:
            new = bool(values[f"{CONSENT_PREFIX}{type_id}"])
            if new != current[type_id]:
                diff[f"{CONSENT_PREFIX}{type_id}"] = [current[type_id], new]
    for name, new in values.items():
        if name.startswith(CONSENT_PREFIX):
            continue
        if name not in EDITABLE_FIELDS[model]:
            raise ValueError(f"{model.__name__}.{name} cannot be changed by a family.")
        old = getattr(target, name)
        new = _normalise(model, name, new)
        if new is None and isinstance(old, str):
            new = ""
        if old != new:
            diff[name] = [old, new]
    return diff


def change_request_submit(
    *,
    family: Family,
    target,
    changes: dict,
    user,
    summary: str,
    action: str = UPDATE,
    model: str | None = None,
    documents=(),
    certified: bool = False,
    now=None,
) -> ChangeRequest:
    """Record what the family asks; staff decide. `changes` holds the form's new values.

    update: only the fields that differ are kept (PortalError when nothing differs);
    create: `target` is the child and `model` one of CREATABLE; delete: `target` goes.
    A new child only: `documents`, (document type, uploaded file) of the child's supporting
    documents, stored with the request; `certified`, the family certified its file, so the
    child's administrative file is sent when staff accept.
    """
    now = now or timezone.now()
    if (documents or certified) and (action, model) != (CREATE, "child"):
        raise ValueError("Documents and a certified file come with a new child only.")
    if not _belongs_to(family, target):
        raise PortalError(_("This is not part of your family file."))
    if action == UPDATE:
        diff = _update_diff(target, changes)
        if not diff:
            raise PortalError(NOTHING_CHANGED)
    elif action == CREATE:
        created_model = CREATABLE[model]
        parent = Family if created_model in CREATED_ON_FAMILY else Child
        if not isinstance(target, parent):
            raise ValueError(f"A new {model} is attached to a {parent.__name__}.")
        allowed = EDITABLE_FIELDS[created_model]
        diff = {ACTION_KEY: f"{CREATE}:{model}"}
        diff.update(
            {
                name: [None, _normalise(created_model, name, value)]
                for name, value in changes.items()
                if name in allowed
            }
        )
    elif action == DELETE:
        if not isinstance(target, DELETABLE):
            raise ValueError("This object cannot be removed by a family.")
        diff = {ACTION_KEY: DELETE}
        diff.update({name: [getattr(target, name), None] for name in EDITABLE_FIELDS[type(target)]})
    else:
        raise ValueError(f"Unknown action {action!r}")
    with transaction.atomic():
        change_request = ChangeRequest.objects.create(
            family=family,
            target=target,
            summary=summary[:255],
            changes=_as_json(diff),
            created_by=user,
            created_at=now,
            certified=certified,
        )
        change_attachments_store(change_request=change_request, documents=documents, now=now)
        family_event_record(
            family=family,
            actor=user,
            action=FamilyEvent.Action.CREATED,
            description=gettext("Change request sent: %(summary)s") % {"summary": summary},
            data={"change_request": change_request.pk},
            now=now,
        )
    logger.info("Change request %s sent for family %s", change_request.pk, family.number)
    return change_request


def _lock_for(change_request: ChangeRequest, to_status: str) -> ChangeRequest:
    """The request, locked, once its table allows the decision."""
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    MOVES.check(locked, to_status)
    return locked


def _lock_target(change_request: ChangeRequest):
    model = change_request.target_type.model_class()
    try:
        return model._default_manager.select_for_update().get(pk=change_request.target_id)
    except model.DoesNotExist as error:
        raise PortalError(STALE) from error


def _check_unchanged(obj, items) -> None:
    model = type(obj)
    for name, (old, _new) in items:
        if name.startswith(CONSENT_PREFIX):
            continue
        if getattr(obj, name) != _python(model, name, old):
            raise PortalError(STALE)


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        messages = [str(message) for message in error.messages]
        raise PortalError(
            gettext("The request cannot be applied: %(errors)s") % {"errors": " ".join(messages)}
        ) from error


def _apply(change_request: ChangeRequest, *, actor, now, link_known=False):
    """Apply the request; the new child, when it adds one."""
    target = _lock_target(change_request)
    action, model_name = request_action(change_request.changes)
    items = field_items(change_request.changes)
    if action == UPDATE:
        _check_unchanged(target, items)
        model = type(target)
        consents = {}
        for name, (_old, new) in items:
            if name.startswith(CONSENT_PREFIX):
                consents[int(name.removeprefix(CONSENT_PREFIX))] = (bool(_old), bool(new))
            else:
                setattr(target, name, _python(model, name, new))
        if len(consents) < len(items):
            _full_clean(target)
            target.save()
        if consents:
            current = _consent_states(target, list(consents))
            for type_id, (old, new) in consents.items():
                if current[type_id] != old:
                    raise PortalError(STALE)
                Consent.objects.update_or_create(
                    child=target,
                    consent_type_id=type_id,
                    defaults={"granted": new, "updated_at": now, "updated_by": actor},
                )
    elif action == CREATE:
        model = CREATABLE[model_name]
        values = {name: _python(model, name, new) for name, (_old, new) in items}
        if model in (Child, Guardian):
            add = partial(child_add, link_known=link_known) if model is Child else guardian_add
            added = add(
                family=change_request.family, values=values, actor=actor, record=False, now=now
            )
            return added if model is Child else None
        if model is QuotientRecord:
            try:
                quotient_record_add(
                    family=change_request.family,
                    source=QuotientRecord.Source.ATTESTATION,
                    actor=actor,
                    now=now,
                    **values,
                )
            except PortalError as error:
                raise PortalError(
                    gettext("The request cannot be applied: %(errors)s") % {"errors": error.message}
                ) from error
            return
        if model is AuthorizedPerson:
            obj = AuthorizedPerson(family=change_request.family, child=target, **values)
        elif model is HealthRecord:
            if HealthRecord.objects.filter(child=target).exists():
                raise PortalError(STALE)
            obj = HealthRecord(child=target, **values)
        else:
            record, _created = HealthRecord.objects.get_or_create(child=target)
            obj = Vaccination(health_record=record, **values)
        _full_clean(obj)
        obj.save()
    elif action == DELETE:
        _check_unchanged(target, items)
        target.delete()
    else:
        raise PortalError(STALE)


def change_request_accept(
    *,
    change_request: ChangeRequest,
    actor,
    link_known: bool = False,
    validate_all: bool = False,
    now=None,
) -> ChangeRequest:
    """Apply every change of the request, or none; the family is told. A new child that
    another household already has is refused unless `link_known` (it is then linked).

    A new child's documents become the family's pending documents for the child; with
    `validate_all` staff validate them in the same step and, through the registered
    handlers, the child's administrative file the family sent with the request (hooks.py)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_for(change_request, RequestStatus.ACCEPTED)
        child = _apply(locked, actor=actor, now=now, link_known=link_known)
        MOVES.decide(locked, RequestStatus.ACCEPTED, actor=actor, now=now)
        if child is not None:
            _new_child_files(locked, child=child, actor=actor, validate=validate_all, now=now)
        family_tell(
            locked.family,
            kind=AlertKind.REQUEST_ACCEPTED,
            title=gettext("Change request accepted"),
            body=locked.summary,
            link=REQUESTS_LINK,
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.ACCEPTED,
                gettext("Change request accepted: %(summary)s") % {"summary": locked.summary},
                data={"change_request": locked.pk, "changes": locked.changes},
            ),
            now=now,
        )
    logger.info("Change request %s accepted by user %s", locked.pk, actor.pk)
    _copy_decision(locked, change_request)
    return locked


def _new_child_files(change_request, *, child, actor, validate: bool, now) -> None:
    documents = change_attachments_transfer(
        change_request=change_request, child=child, actor=actor, now=now
    )
    if validate:
        documents_validate(documents=documents, actor=actor, now=now)
    new_child_accepted_run(
        family=change_request.family,
        child=child,
        user=change_request.created_by,
        actor=actor,
        now=now,
        certified=change_request.certified,
        validate=validate,
    )


def change_request_refuse(
    *, change_request: ChangeRequest, actor, reason: str, now=None
) -> ChangeRequest:
    """Refuse the request with a reason the family reads in « Mes demandes »."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(_("Give the reason for the refusal: the family will read it."))
    with transaction.atomic():
        locked = _lock_for(change_request, RequestStatus.REFUSED)
        MOVES.decide(locked, RequestStatus.REFUSED, actor=actor, reason=reason, now=now)
        change_attachments_discard(locked)
        family_tell(
            locked.family,
            kind=AlertKind.REQUEST_REFUSED,
            title=gettext("Change request refused"),
            body=f"{locked.summary}\n{reason}",
            link=REQUESTS_LINK,
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.REFUSED,
                gettext("Change request refused: %(summary)s") % {"summary": locked.summary},
                data={"change_request": locked.pk, "reason": reason},
            ),
            now=now,
        )
    logger.info("Change request %s refused by user %s", locked.pk, actor.pk)
    _copy_decision(locked, change_request)
    return locked


def _copy_decision(source: ChangeRequest, target: ChangeRequest) -> None:
    for name in ("status", "decided_at", "decided_by_id", "refusal_reason"):
        setattr(target, name, getattr(source, name))
