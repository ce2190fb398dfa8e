"""Change requests as people read them: field labels and shown values, old → new."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..members import known_children_of
from ..models import ChangeRequest, ConsentType
from .services import CONSENT_PREFIX, CREATABLE, CREATE, DELETE, field_items, request_action

# Fields a request may name that the model no longer has (requests decided before the
# quotient became dated records): shown with their old label and raw values.
FORMER_FIELDS = {
    "quotient": _("quotient familial"),
    "quotient_valid_from": _("quotient valid from"),
    "quotient_valid_until": _("quotient valid until"),
}

ACTION_LABELS = {
    "update": _("Change"),
    CREATE: _("Addition"),
    DELETE: _("Removal"),
}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


def mask_iban(value: str) -> str:
    return f"•••• {value[-4:]}" if value else ""


def display_value(field, value, *, mask: bool = False) -> str:
    if value is None or value == "":
        return "–"
    value = field.to_python(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if field.get_internal_type() == "DecimalField":
        return number_format(value)
    if mask and field.name == "iban":
        return mask_iban(value)
    return str(value)


def change_rows(
    change_request: ChangeRequest, *, consent_names: dict | None = None, mask: bool = False
) -> list[ChangeRow]:
    """One row per field; `consent_names` maps consent type ids to names (read once)."""
    action, model_name = request_action(change_request.changes)
    model = CREATABLE[model_name] if action == CREATE else change_request.target_type.model_class()
    rows = []
    for name, (old, new) in field_items(change_request.changes):
        if name.startswith(CONSENT_PREFIX):
            type_id = int(name.removeprefix(CONSENT_PREFIX))
            if consent_names is None:
                consent_names = dict(ConsentType.objects.values_list("pk", "name"))
            rows.append(
                ChangeRow(
                    label=consent_names.get(type_id, "?"),
                    old=gettext("Granted") if old else gettext("Not granted"),
                    new=gettext("Granted") if new else gettext("Not granted"),
                )
            )
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            rows.append(
                ChangeRow(
                    label=str(FORMER_FIELDS.get(name, name)).capitalize(),
                    old="–" if old in (None, "") else str(old),
                    new="–" if new in (None, "") else str(new),
                )
            )
            continue
        rows.append(
            ChangeRow(
                label=str(field.verbose_name).capitalize(),
                old=display_value(field, old, mask=mask),
                new=display_value(field, new, mask=mask),
            )
        )
    return rows


def readable_requests(requests, *, mask: bool = False) -> list[tuple[ChangeRequest, list]]:
    requests = list(requests)
    consent_names = None
    if any(key.startswith(CONSENT_PREFIX) for request in requests for key in request.changes):
        consent_names = dict(ConsentType.objects.values_list("pk", "name"))
    return [
        (
            request,
            ACTION_LABELS[request_action(request.changes)[0]],
            change_rows(request, consent_names=consent_names or {}, mask=mask),
        )
        for request in requests
    ]


def requested_child_known(change_request: ChangeRequest) -> list:
    """For a new child asked by the family: the children of other households with the same
    name and birth date, proposed to staff for linking."""
    action, model_name = request_action(change_request.changes)
    if action != CREATE or model_name != "child":
        return []
    values = {name: pair[1] for name, pair in field_items(change_request.changes)}
    return known_children_of(family=change_request.family, values=values)
