"""The family grows: a new child or a second guardian, asked by the family (a change request
staff accept), added by staff from the family's file, or signed up with a new account.

A child already known in another household (same first name, last name and birth date,
whatever the case, accents, hyphens and spaces) is not created twice: staff are shown it and
link it to this household instead (a second membership, as for separated parents).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.french import name_key

from .audit import family_event_record
from .errors import PortalError
from .models import Child, ChildMembership, Family, FamilyEvent, Guardian

CHILD_FIELDS = ("last_name", "first_name", "birth_date", "sex", "school", "school_level")
GUARDIAN_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "role",
    "marital_status",
    "address_line",
    "postal_code",
    "city",
    "phone_mobile",
    "phone_home",
    "phone_work",
    "email",
    "profession",
    "employer",
    "consents_to_email",
    "consents_to_sms",
)
KNOWN_ELSEWHERE = _(
    "A child with this name and birth date is already known in another household "
    "(%(families)s): link it to this family instead of creating it twice."
)
NONE_KNOWN = _("No child with this name and birth date is known in another household.")


def known_children(
    *, family: Family | None, first_name: str, last_name: str, birth_date
) -> list[Child]:
    """Children of other households with the same name and birth date (the proposal);
    `family` None: of any household (a household not created yet). The names are compared
    by `name_key` in Python, among the few children born that day: « Chloé » typed
    « Chloe » by the other parent is the same child, on SQLite as on PostgreSQL."""
    children = Child.objects.filter(birth_date=birth_date)
    if family is not None:
        children = children.exclude(memberships__family=family)
    wanted = (name_key(first_name), name_key(last_name))
    return [
        child
        for child in children.exclude(memberships__family__status=Family.Status.ANONYMISED)
        .prefetch_related("families")
        .order_by("pk")
        if (name_key(child.first_name), name_key(child.last_name)) == wanted
    ]


def known_children_of(*, family: Family | None, values: dict) -> list:
    """`known_children` for a new child's values (as typed or as stored in JSON)."""
    birth_date = values.get("birth_date")
    if not birth_date:
        return []
    if isinstance(birth_date, str):
        birth_date = datetime.date.fromisoformat(birth_date)
    return known_children(
        family=family,
        first_name=values.get("first_name"),
        last_name=values.get("last_name"),
        birth_date=birth_date,
    )


def _clean(obj) -> None:
    try:
        obj.full_clean(exclude=["family"] if isinstance(obj, Guardian) else None)
    except ValidationError as error:
        raise PortalError(
            gettext("The request cannot be applied: %(errors)s")
            % {"errors": " ".join(str(message) for message in error.messages)}
        ) from error


def child_add(
    *, family: Family, values: dict, actor, link_known: bool = False, record=True, now=None
) -> Child:
    """A new child in the household, or (`link_known`) the child another household already
    has, linked. PortalError when a known child would be created twice, or when there is
    none to link."""
    now = now or timezone.now()
    known = known_children_of(family=family, values=values)
    if link_known:
        if not known:
            raise PortalError(NONE_KNOWN)
        child = known[0]
        description = gettext("Child %(name)s, known in another household, linked.")
    else:
        if known:
            families = ", ".join(str(f) for child in known for f in child.families.all())
            raise PortalError(KNOWN_ELSEWHERE % {"families": families})
        child = Child(**{name: values[name] for name in CHILD_FIELDS if name in values})
        _clean(child)
        child.save()
        description = gettext("Child %(name)s added.")
    ChildMembership.objects.create(child=child, family=family)
    if record:
        family_event_record(
            family=family,
            actor=actor,
            action=FamilyEvent.Action.CREATED,
            description=description % {"name": child},
            data={"child": child.pk},
            now=now,
        )
    return child


def guardian_add(*, family: Family, values: dict, actor, record=True, now=None) -> Guardian:
    """A second (or further) guardian of the household, without a login: the family invites
    them from « Mon dossier » once they exist."""
    guardian = Guardian(
        family=family,
        is_primary=False,
        **{name: values[name] for name in GUARDIAN_FIELDS if values.get(name) is not None},
    )
    _clean(guardian)
    guardian.save()
    if record:
        family_event_record(
            family=family,
            actor=actor,
            action=FamilyEvent.Action.CREATED,
            description=gettext("Guardian %(name)s added.") % {"name": guardian.full_name},
            data={"guardian": guardian.pk},
            now=now or timezone.now(),
        )
    return guardian
