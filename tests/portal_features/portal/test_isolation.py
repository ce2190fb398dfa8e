"""Isolation: every portal address that carries an id answers 404 for another family's object.

The addresses are found by walking the portal's URLconf, so a new screen is covered as soon
as it is mounted: if its id's name is not in OBJECT_IDS below, its test fails and says which.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from invoicing.choices import PaymentMode
from invoicing.models import Allocation, Invoice, PaymentAttempt, Regie
from invoicing.services import payment_record
from invoicing.services.online import payment_request_open
from portal_features.alerts.kinds import AlertKind
from portal_features.models import (
    ChangeRequest,
    Consent,
    DataExport,
    DocumentType,
    Family,
    HealthRecord,
    Message,
    MessageAttachment,
    Notification,
    Service,
    SupportingDocument,
    Theme,
    Thread,
    Vaccination,
)
from portal_features.models.portal_page import PORTAL_URLCONF
from portal_features.portal.urls import portal_path
from reservations.choices import BasketAction
from reservations.models import Absence, BasketItem, Order, OrderLine, Slot
from reservations.services.booking import reservation_book
from reservations.services.configuration import activity_slots_generate
from tests.factories import (
    ActivityFactory,
    AuthorizedPersonFactory,
    ChildFactory,
    ConsentTypeFactory,
    EnrolmentFactory,
    FamilyFactory,
    GroupFactory,
    GuardianFactory,
    PortalPageFactory,
    RegistrationFactory,
    SchoolYearFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%isolation test\n"


@dataclass(frozen=True)
class PortalPattern:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            kwargs = tuple(getattr(pattern, "converters", None) or pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield PortalPattern(name=name, route=prefix + str(pattern), kwargs=kwargs)


def portal_patterns_with_ids() -> list[PortalPattern]:
    return [pattern for pattern in _walk(get_resolver(PORTAL_URLCONF)) if pattern.kwargs]


PATTERNS_WITH_IDS = portal_patterns_with_ids()


class FamilyObjects:
    """One of each family-scoped object, all belonging to `family` and linked to one another."""

    def __init__(self, family: Family):
        self.family = family
        self.account = GuardianFactory(family=family)
        self.child = ChildFactory(family=family, last_name=family.name)
        self.other_guardian = GuardianFactory(
            family=family, user=None, is_primary=False, first_name="Marc", role="father"
        )
        self.person = AuthorizedPersonFactory(family=family, child=self.child)
        record = HealthRecord.objects.create(child=self.child, allergies="Arachides")
        self.vaccination = Vaccination.objects.create(
            health_record=record, vaccine="DTP", date="2019-06-01"
        )
        self.consent = Consent.objects.create(
            child=self.child, consent_type=ConsentTypeFactory(), granted=True
        )
        self.document = SupportingDocument.objects.create(
            family=family,
            child=self.child,
            document_type=DocumentType.objects.get_or_create(
                name="Vaccinations", defaults={"scope": DocumentType.Scope.CHILD}
            )[0],
            file=ContentFile(PDF, name="vaccins.pdf"),
            original_name="vaccins.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        service, _ = Service.objects.get_or_create(name="Centres de loisirs")
        theme, _ = Theme.objects.get_or_create(service=service, name="Inscriptions")
        self.thread = Thread.objects.create(
            family=family, service=service, theme=theme, subject="Inscription de juillet"
        )
        message = Message.objects.create(thread=self.thread, body="Bonjour")
        self.attachment = MessageAttachment.objects.create(
            message=message,
            file=ContentFile(PDF, name="certificat.pdf"),
            original_name="certificat.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        now = timezone.now()
        self.data_export = DataExport.objects.create(
            family=family,
            status=DataExport.Status.READY,
            file=ContentFile(b"PK\x05\x06" + b"\x00" * 18, name="export.zip"),
            size=22,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=24),
        )
        self.change_request = ChangeRequest.objects.create(
            family=family,
            target_type=ContentType.objects.get_for_model(Family),
            target_id=family.pk,
            summary="Nouvelle adresse",
            changes={"address_line": ["12 rue des Écoles", "3 rue des Lilas"]},
        )
        self.notification = Notification.objects.create(
            family=family, kind=AlertKind.NEW_MESSAGE, title="Nouveau message"
        )
        self._reservations()
        self._invoice()
        self._payments()

    def _invoice(self):
        """An issued invoice (its PDF is rendered when first asked for)."""
        regie = Regie.objects.get_or_create(
            code="ISO",
            defaults={"siret": "21440109300015", "court_name": "Tribunal administratif"},
        )[0]
        self.invoice = Invoice.objects.create(
            regie=regie, family=self.family, month=datetime.date(2026, 11, 1), total=10
        )
        now = timezone.now()
        Invoice.objects.filter(pk=self.invoice.pk).update(
            status="issued",
            number=f"FISO-26-{self.family.pk:06d}",
            year=2026,
            sequence=self.family.pk,
            issued_at=now,
            issued_on=now.date(),
            due_on=now.date(),
        )

    def _payments(self):
        """An online payment request of the invoice (opened, not yet at the provider), and a
        payment at the counter with its receipt."""
        self.payment_request = payment_request_open(
            family=self.family, invoice_ids=[self.invoice.pk], email="parent@example.fr"
        ).request
        self.payment = payment_record(
            regie=self.invoice.regie,
            family=self.family,
            mode=PaymentMode.CASH,
            amount=Decimal("4.00"),
            actor=None,
        )

    def _reservations(self):
        """An enrolment, a registration, reservations (one with an absence and its
        certificate), an order and a basket line, on an activity both families share."""
        activity = shared_activity()
        family, child = self.family, self.child
        EnrolmentFactory(family=family, child=child, school_year=activity.school_year)
        self.registration = RegistrationFactory(
            family=family, child=child, activity=activity, group=activity.groups.get()
        )
        slots = list(Slot.objects.filter(unit__activity=activity).order_by("day")[:3])
        now = timezone.now()
        self.reservation, absent = (
            reservation_book(
                family=family,
                child=child,
                slot=slot,
                unit_price=slot.unit.price,
                user=None,
                now=now,
            )
            for slot in slots[:2]
        )
        self.absence = Absence.objects.create(
            reservation=absent,
            reason=Absence.Reason.ILLNESS,
            status="declared",
            certificate=ContentFile(PDF, name="certificat.pdf"),
            original_name="certificat.pdf",
            content_type="application/pdf",
        )
        self.order = Order.objects.create(
            number=f"2026-{family.pk:05d}", family=family, total=self.reservation.unit_price
        )
        OrderLine.objects.create(
            order=self.order,
            reservation=self.reservation,
            action=BasketAction.BOOK,
            unit_price=self.reservation.unit_price,
            outcome=self.reservation.status,
        )
        self.basket_item = BasketItem.objects.create(
            family=family,
            child=child,
            unit=slots[2].unit,
            day=slots[2].day,
            action=BasketAction.BOOK,
        )


def shared_activity():
    """Opens the next Wednesdays, whatever today is, so that the reservations are ahead."""
    school_year = SchoolYearFactory(
        name="isolation",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=300),
    )
    activity = school_year.activities.first()
    if activity is None:
        activity = ActivityFactory(
            school_year=school_year,
            start_date=school_year.start_date,
            end_date=school_year.end_date,
            weekdays=[2],
        )
        UnitFactory(activity=activity)
        GroupFactory(activity=activity, capacity=10)
        activity_slots_generate(activity_id=activity.pk)
        Slot.objects.filter(unit__activity=activity, day__lte=timezone.localdate()).delete()
    return activity


# Name of the id in a portal URL → that object of a family. A new kind of id in a portal URL
# must be added here (the test over the new URL fails until it is).
OBJECT_IDS = {
    "child_id": lambda objects: objects.child.pk,
    "guardian_id": lambda objects: objects.other_guardian.pk,
    "person_id": lambda objects: objects.person.pk,
    "vaccination_id": lambda objects: objects.vaccination.pk,
    "consent_id": lambda objects: objects.consent.pk,
    "document_id": lambda objects: objects.document.pk,
    "thread_id": lambda objects: objects.thread.pk,
    "attachment_id": lambda objects: objects.attachment.pk,
    "request_id": lambda objects: objects.change_request.pk,
    "notification_id": lambda objects: objects.notification.pk,
    "registration_id": lambda objects: objects.registration.pk,
    "reservation_id": lambda objects: objects.reservation.pk,
    "absence_id": lambda objects: objects.absence.pk,
    "order_id": lambda objects: objects.order.pk,
    "item_id": lambda objects: objects.basket_item.pk,
    "export_id": lambda objects: objects.data_export.pk,
    "invoice_id": lambda objects: objects.invoice.pk,
    "payment_id": lambda objects: objects.payment.pk,
    "request_number": lambda objects: objects.payment_request.number,
}
# Ids of objects every family shares (a school year): not swapped for another family's.
SHARED_IDS = {
    "school_year_id": lambda objects: shared_activity().school_year_id,
}


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def ours(db):
    return FamilyObjects(FamilyFactory(name="DUPONT"))


@pytest.fixture
def theirs(db):
    return FamilyObjects(FamilyFactory(name="MARTIN"))


def _url(portal, pattern: PortalPattern, objects_for) -> str:
    missing = [name for name in pattern.kwargs if name not in OBJECT_IDS | SHARED_IDS]
    if missing:
        pytest.fail(
            f"The portal URL {pattern.name!r} ({pattern.route}) takes {', '.join(missing)}: "
            "add to OBJECT_IDS in tests/portal_features/portal/test_isolation.py how to build "
            "another family's object for it."
        )
    builders = OBJECT_IDS | SHARED_IDS
    kwargs = {name: builders[name](objects_for(name)) for name in pattern.kwargs}
    return portal.url + portal_path(pattern.name, **kwargs)


def test_the_walk_finds_the_portal_urls_that_carry_an_id():
    names = {pattern.name for pattern in PATTERNS_WITH_IDS}
    assert "family_file:child_detail" in names
    assert all(pattern.kwargs for pattern in PATTERNS_WITH_IDS)


@pytest.mark.parametrize("pattern", PATTERNS_WITH_IDS, ids=lambda pattern: pattern.name)
def test_another_familys_object_is_not_found(client, portal, ours, theirs, pattern):
    client.force_login(ours.account.user)
    # Each id in turn is the other family's, the others ours: no id may lend access to another.
    for foreign in [name for name in pattern.kwargs if name not in SHARED_IDS]:
        url = _url(
            portal, pattern, lambda name, foreign=foreign: theirs if name == foreign else ours
        )

        assert client.get(url).status_code == 404, f"GET {url} as another family"
        # A view that takes no POST at all may say so (405); any other answer is a leak.
        assert client.post(url, {}).status_code in (404, 405), f"POST {url} as another family"


@pytest.mark.parametrize("pattern", PATTERNS_WITH_IDS, ids=lambda pattern: pattern.name)
def test_the_familys_own_object_is_served(client, portal, ours, theirs, pattern):
    """The control: the same address with our own ids is not a 404, so the 404s above mean
    isolation, not a broken address."""
    client.force_login(ours.account.user)
    url = _url(portal, pattern, lambda name: ours)

    assert client.get(url).status_code in (200, 302, 405), f"GET {url}"
    assert client.post(url, {}).status_code in (200, 302, 405), f"POST {url}"


@pytest.mark.parametrize("pattern", PATTERNS_WITH_IDS, ids=lambda pattern: pattern.name)
def test_a_post_refused_to_another_family_changes_nothing(client, portal, ours, theirs, pattern):
    """What the other family's file holds is the same after a forged POST as before."""
    client.force_login(ours.account.user)
    before = _snapshot(theirs)
    for foreign in [name for name in pattern.kwargs if name not in SHARED_IDS]:
        url = _url(
            portal, pattern, lambda name, foreign=foreign: theirs if name == foreign else ours
        )
        client.post(url, {})
    assert _snapshot(theirs) == before


def _snapshot(objects: FamilyObjects) -> dict:
    family = objects.family
    return {
        "family": Family.objects.filter(pk=family.pk).values().get(),
        "guardians": list(family.guardians.order_by("pk").values()),
        "children": list(
            family.children.order_by("pk").values(
                "pk", "first_name", "last_name", "birth_date", "school_level"
            )
        ),
        "persons": list(family.authorized_persons.order_by("pk").values()),
        "documents": list(family.documents.order_by("pk").values("pk", "status")),
        "exports": list(family.data_exports.order_by("pk").values()),
        "events": family.events.count(),
        "threads": list(family.threads.order_by("pk").values()),
        "messages": Message.objects.filter(thread__family=family).count(),
        "requests": list(family.change_requests.order_by("pk").values("pk", "status")),
        "notifications": list(family.notifications.order_by("pk").values("pk", "read_at")),
        "vaccinations": list(
            Vaccination.objects.filter(health_record__child=objects.child).values()
        ),
        "consents": list(Consent.objects.filter(child=objects.child).values("pk", "granted")),
        "payments": list(family.payments.order_by("pk").values("pk", "status", "amount")),
        "attempts": list(
            PaymentAttempt.objects.filter(request__family=family).values("pk", "state")
        ),
        "allocations": list(Allocation.objects.filter(invoice__family=family).values()),
    }


def test_the_walk_covers_the_invoice_screens_and_their_pdf():
    names = {pattern.name for pattern in PATTERNS_WITH_IDS}
    assert {"invoicing:invoice_detail", "invoicing:invoice_pdf"} <= names
    assert {"invoicing:receipt", "invoicing:payment_return"} <= names


def test_ids_in_the_invoice_screens_query_strings_stay_within_the_family(
    client, portal, ours, theirs
):
    """The attestation's child and the statement's régie come from the query string: another
    family's child is a 404, and no régie shows another family's documents."""
    client.force_login(ours.account.user)
    attestation = portal.url + portal_path("invoicing:attestation")
    period = {"start": "2026-09-01", "end": "2026-12-31"}

    assert client.get(attestation, {"child": theirs.child.pk, **period}).status_code == 404
    assert client.get(attestation, {"child": ours.child.pk, **period}).status_code == 200
    fiscal = portal.url + portal_path("invoicing:fiscal")
    last_year = timezone.localdate().year - 1
    assert client.get(fiscal, {"child": theirs.child.pk, "year": last_year}).status_code == 404
    assert client.get(fiscal).status_code == 200
    mandate = portal.url + portal_path("invoicing:mandate")
    assert client.get(mandate).status_code == 200

    numbers = dict(Invoice.objects.values_list("family_id", "number"))
    for screen in ("invoicing:statement", "invoicing:list"):
        page = client.get(
            portal.url + portal_path(screen), {"regie": theirs.invoice.regie_id, "year": 2026}
        ).content.decode()
        assert numbers[ours.family.pk] in page, screen
        assert numbers[theirs.family.pk] not in page, screen
