"""What the tests of the staff screens share: every staff screen of our apps found in the
admin's URLs (so a new screen is covered without being listed here), and a commune with
at least one item on each of them."""

import datetime
import inspect
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from cms.staff_groups import ensure_staff_groups
from core.staff import ModelAdmin
from invoicing.models import DebitBatchLine, RegieActivity
from invoicing.services import run_draft, run_finalize
from portal_features.change_requests.services import change_request_submit
from portal_features.messaging.services import thread_start
from portal_features.models import (
    ChangeRequestAttachment,
    MessageAttachment,
    Service,
    SignupAttachment,
    Theme,
)
from reservations.choices import Attendance
from reservations.models import (
    Absence,
    Closure,
    Period,
    Registration,
    ReservationRule,
    SiblingReduction,
    Tariff,
    TariffBracket,
)
from reservations.services import absences, attendance, booking
from tests import factories
from tests.files import pdf_bytes
from tests.invoicing.admin.money import money_world
from tests.invoicing.conftest import make_regie
from tests.invoicing.provider import Provider
from tests.reservations.conftest import PARIS, make_world

OUR_APPS = ("portal_features", "reservations")
PDF = pdf_bytes()
# The object an action's <instance_pk> names, when it is not the screen's own model: by
# action, or by the screen's model and action where two screens name the same action.
ACTION_MODELS = {"attachment": MessageAttachment, "reject_line": DebitBatchLine}
SCREEN_ACTION_MODELS = {
    ("signuprequest", "attachment"): SignupAttachment,
    ("changerequest", "attachment"): ChangeRequestAttachment,
}


@dataclass
class StaffUrl:
    name: str
    pattern: object
    model_admin: ModelAdmin | None  # None: a screen of our own outside any ModelAdmin

    @property
    def action(self) -> str:
        return self.name.rpartition("_modeladmin_")[2] if self.model_admin else self.name

    @property
    def needs_pk(self) -> bool:
        return "instance_pk" in self.pattern.pattern.regex.groupindex

    def url(self) -> str:
        if not self.needs_pk:
            return reverse(self.name)
        screen = (self.model_admin.model._meta.model_name, self.action)
        model = SCREEN_ACTION_MODELS.get(screen) or ACTION_MODELS.get(
            self.action, self.model_admin.model
        )
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model.__name__} for {self.name}"
        return reverse(self.name, kwargs={"instance_pk": obj.pk})


def _admin_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _admin_patterns(pattern.url_patterns)
        elif pattern.name:
            yield pattern


def _admin_resolver() -> URLResolver:
    home = reverse("wagtailadmin_home")
    return next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and home.lstrip("/").startswith(str(p.pattern))
    )


def staff_model_admins() -> list[ModelAdmin]:
    """Every ModelAdmin registered in Wagtail's admin: the owner of an index URL."""
    found = []
    for pattern in _admin_patterns(_admin_resolver().url_patterns):
        owner = getattr(inspect.unwrap(pattern.callback), "__self__", None)
        if isinstance(owner, ModelAdmin) and pattern.name.endswith("_modeladmin_index"):
            found.append(owner)
    return found


def staff_urls() -> list[StaffUrl]:
    """Every admin URL of a ModelAdmin, and every other admin URL served by our apps."""
    admins = {
        admin.url_helper.get_action_url_name("index").removesuffix("index"): admin
        for admin in staff_model_admins()
    }
    urls = []
    for pattern in _admin_patterns(_admin_resolver().url_patterns):
        prefix = pattern.name.rpartition("_modeladmin_")[0] + "_modeladmin_"
        if prefix in admins:
            urls.append(StaffUrl(pattern.name, pattern, admins[prefix]))
        elif inspect.unwrap(pattern.callback).__module__.startswith(OUR_APPS):
            urls.append(StaffUrl(pattern.name, pattern, None))
    return urls


def staff_in(group_name, **fields):
    ensure_staff_groups()
    user = factories.UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@dataclass
class Commune:
    """One item at least on each staff screen (every queue holding one awaiting a decision)."""

    world: object
    parent: object  # a guardian's login
    decided_by: object


def _book(world, family, child, guardian, day):
    with transaction.atomic():
        return booking.reservation_book(
            family=family,
            child=child,
            slot=world.slot(day),
            unit_price=world.unit.price,
            user=guardian.user,
            now=timezone.now(),
        )


def build_commune(home_page, decided_by) -> Commune:
    factories.PortalPageFactory(parent=home_page)
    today = timezone.localdate()
    world = make_world(
        capacity=5,
        start_date=today - datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=60),
        weekdays=list(range(7)),
        booking_validation="staff",
        cancellation_validation="staff",
    )
    days = list(
        world.unit.slots.filter(day__gte=today + datetime.timedelta(days=3))
        .order_by("day")
        .values_list("day", flat=True)[:3]
    )
    family, guardian, child = world.family, world.guardian, world.child

    # Reservations: one of each queue awaiting a decision.
    _book(world, family, child, guardian, days[0])
    to_cancel = _book(world, family, child, guardian, days[1])
    booking.reservation_accept(reservation_id=to_cancel.pk, actor=decided_by)
    booking.reservation_cancel(
        family=family, reservation_id=to_cancel.pk, user=guardian.user, now=timezone.now()
    )
    absent = _book(world, family, child, guardian, days[2])
    booking.reservation_accept(reservation_id=absent.pk, actor=decided_by)
    absences.absence_declare(
        family=family,
        reservation_id=absent.pk,
        user=guardian.user,
        reason=Absence.Reason.ILLNESS,
        certificate=SimpleUploadedFile("certificat.pdf", PDF),
        now=datetime.datetime.combine(days[2], datetime.time(9, 0), tzinfo=PARIS),
    )
    # Marked absent at roll call, no absence declared: staff decide it.
    past_day = (
        world.unit.slots.filter(day__lt=today).order_by("day").values_list("day", flat=True)[0]
    )
    marked = _book(world, family, child, guardian, past_day)
    booking.reservation_accept(reservation_id=marked.pk, actor=decided_by)
    attendance.attendance_mark(
        reservation_ids=[marked.pk], attendance=Attendance.ABSENT, actor=decided_by
    )
    other_family, _other_guardian, (other_child,) = world.add_family()
    Registration.objects.filter(child=other_child).update(status="pending")
    factories.EnrolmentFactory(
        family=other_family,
        child=factories.ChildFactory(family=other_family),
        school_year=world.activity.school_year,
        status="pending",
    )
    Period.objects.create(
        school_year=world.activity.school_year,
        name="Vacances d'automne",
        start_date=datetime.date(2026, 10, 17),
        end_date=datetime.date(2026, 11, 1),
    )
    Closure.objects.create(
        facility=world.activity.facility,
        start_date=today + datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=91),
        reason="Travaux",
    )
    ReservationRule.objects.create(name="48 heures")

    # The family portal's queues and settings.
    SignupAttachment.objects.create(
        signup_request=factories.SignupRequestFactory(),
        document_type=factories.DocumentTypeFactory(),
        file=ContentFile(PDF, name="justificatif.pdf"),
        original_name="justificatif.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    change_request = change_request_submit(
        family=family,
        target=guardian,
        changes={"phone_work": "02 38 00 00 00"},
        user=guardian.user,
        summary="Téléphone",
    )
    ChangeRequestAttachment.objects.create(
        change_request=change_request,
        document_type=factories.DocumentTypeFactory(),
        file=ContentFile(PDF, name="certificat.pdf"),
        original_name="certificat.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    factories.SupportingDocumentFactory(family=family)
    factories.ConsentTypeFactory()
    service = Service.objects.create(name="Centres de loisirs")
    thread_start(
        family=family,
        service=service,
        theme=Theme.objects.create(service=service, name="Inscriptions"),
        subject="Inscription du mercredi",
        body="Pouvez-vous inscrire Tom ?",
        attachments=[SimpleUploadedFile("attestation.pdf", PDF)],
        user=guardian.user,
    )
    assert MessageAttachment.objects.exists()

    # Invoicing: the activity's régie and tariff, the month of the day marked absent billed
    # (the provider says the child came) and finalized, so every invoicing list has an item.
    regie = make_regie()
    RegieActivity.objects.create(activity=world.activity, regie=regie)
    tariff = Tariff.objects.create(
        unit=world.unit, valid_from=today - datetime.timedelta(days=30), method="qf_brackets"
    )
    TariffBracket.objects.create(tariff=tariff, qf_min=0, qf_max=None, amount="8.00")
    SiblingReduction.objects.create(tariff=tariff, position=2, percent=50)
    provider = Provider()
    provider.bill(marked, "present")
    run = run_draft(regie=regie, month=past_day, actor=decided_by, sources=provider)
    run_finalize(run=run, actor=decided_by)
    # Payments: a régie where families paid every way, so every « Paiements » list has an item.
    money_world(code="PAYW", complete=True)
    return Commune(world=world, parent=guardian.user, decided_by=decided_by)
