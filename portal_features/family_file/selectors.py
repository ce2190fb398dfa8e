"""Reads of the family file, always scoped to the logged-in family."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.choices import RequestStatus

from ..models import (
    AuthorizedPerson,
    ChangeRequest,
    Child,
    ChildMembership,
    Consent,
    ConsentType,
    Family,
    Guardian,
    HealthRecord,
    Vaccination,
)
from ..quotients.selectors import family_quotients


@dataclass
class FamilyFile:
    family: Family
    guardians: list
    children: list
    consent_types: list
    pending_requests: list
    pending_keys: set = field(default_factory=set)
    quotients: list = field(default_factory=list)  # records in force, oldest first
    today: datetime.date | None = None

    @property
    def current_quotient(self):
        """The QF valid today, or None."""
        return next((record for record in self.quotients if record.covers(self.today)), None)

    @property
    def next_quotients(self) -> list:
        """QF records starting after today (an attestation sent ahead)."""
        return [record for record in self.quotients if record.valid_from > self.today]

    def has_pending(self, obj) -> bool:
        return _key(obj) in self.pending_keys


def _key(obj) -> tuple[int, int]:
    return (ContentType.objects.get_for_model(type(obj)).pk, obj.pk)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def household_children(family: Family):
    """The family's children with their health record, vaccinations, consents and the
    persons this household authorised, oldest first: what a full view of the file shows."""
    return (
        ChildMembership.objects.filter(family=family)
        .select_related("child", "child__health_record")
        .prefetch_related(
            "child__health_record__vaccinations",
            Prefetch("child__consents", queryset=Consent.objects.select_related("consent_type")),
            Prefetch(
                "child__authorized_persons",
                queryset=AuthorizedPerson.objects.filter(family=family),
                to_attr="household_authorized_persons",
            ),
        )
        .order_by("child__birth_date", "child__first_name")
    )


def children_queryset(family: Family):
    """The family's children with what the file shows; the other household's persons stay out."""
    return (
        Child.objects.for_family(family)
        .select_related("health_record")
        .prefetch_related(
            Prefetch(
                "health_record__vaccinations", queryset=Vaccination.objects.order_by("vaccine")
            ),
            Prefetch(
                "authorized_persons",
                queryset=AuthorizedPerson.objects.filter(family=family),
                to_attr="household_persons",
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.filter(consent_type__is_active=True),
                to_attr="active_consents",
            ),
        )
    )


def _decorate(child: Child, consent_types: list, pending_keys: set, today) -> Child:
    child.age = age_on(child.birth_date, today)
    try:
        child.record = child.health_record
    except HealthRecord.DoesNotExist:
        child.record = None
    child.vaccinations = list(child.record.vaccinations.all()) if child.record else []
    granted = {consent.consent_type_id: consent.granted for consent in child.active_consents}
    child.consent_rows = [
        (consent_type, granted.get(consent_type.pk, False)) for consent_type in consent_types
    ]
    child.has_pending_request = _key(child) in pending_keys or (
        child.record is not None and _key(child.record) in pending_keys
    )
    for person in child.household_persons:
        person.has_pending_request = _key(person) in pending_keys
    return child


def pending_change_requests(family: Family) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(family=family, status=RequestStatus.PENDING)
        .select_related("target_type")
        .order_by("-created_at")
    )


def family_file(family: Family, *, today=None) -> FamilyFile:
    """Everything « Mon dossier » shows, in a number of queries that does not grow with
    the number of children."""
    today = today or timezone.localdate()
    consent_types = list(ConsentType.objects.filter(is_active=True))
    pending = pending_change_requests(family)
    pending_keys = {(request.target_type_id, request.target_id) for request in pending}
    guardians = list(Guardian.objects.filter(family=family))
    for guardian in guardians:
        guardian.has_pending_request = _key(guardian) in pending_keys
    children = [
        _decorate(child, consent_types, pending_keys, today) for child in children_queryset(family)
    ]
    return FamilyFile(
        family=family,
        guardians=guardians,
        children=children,
        consent_types=consent_types,
        pending_requests=pending,
        pending_keys=pending_keys,
        quotients=family_quotients(family=family),
        today=today,
    )


def family_child(family: Family, child_id: int, *, today=None) -> Child:
    """One child of the family, with its health record, persons and consents (404 if not)."""
    today = today or timezone.localdate()
    child = get_object_or_404(children_queryset(family), pk=child_id)
    pending = pending_change_requests(family)
    keys = {(request.target_type_id, request.target_id) for request in pending}
    return _decorate(child, list(ConsentType.objects.filter(is_active=True)), keys, today)


def child_for_family(family: Family, child_id: int) -> Child:
    return get_object_or_404(Child.objects.for_family(family), pk=child_id)


def guardian_for_family(family: Family, guardian_id: int) -> Guardian:
    return get_object_or_404(Guardian.objects.filter(family=family), pk=guardian_id)


def authorized_person_for_family(family: Family, person_id: int) -> AuthorizedPerson:
    return get_object_or_404(
        AuthorizedPerson.objects.filter(
            family=family, child__memberships__family=family
        ).select_related("child"),
        pk=person_id,
    )


def health_record_for_child(child: Child) -> HealthRecord | None:
    return HealthRecord.objects.filter(child=child).first()


def family_change_requests(family: Family):
    return ChangeRequest.objects.filter(family=family).select_related("target_type")


def guardians_to_invite(family: Family):
    return Guardian.objects.filter(family=family, user__isnull=True)
