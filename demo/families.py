"""The demo's families and what staff define for them (consents, documents asked, services).

Every family comes in through « Nouveau dossier », accepted by staff (`demo/signup.py`); the
parents then complete their file from « Mon dossier » (the health records, vaccinations,
consents, authorised persons, their own details), each a change request that staff accept,
and staff record the quotient from the CAF and the rhythm of a shared custody. Each family
is built once, found again by its request or its guardian's login, and never touched on a
later run.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.time import PARIS
from portal_features.alerts.services import notifications_mark_read
from portal_features.change_requests.services import (
    CREATE,
    UPDATE,
    change_request_accept,
    change_request_submit,
)
from portal_features.families_admin.services import membership_custody_set
from portal_features.models import (
    Child,
    ConsentType,
    Custody,
    DocumentType,
    Family,
    Guardian,
    HealthRecord,
    QuotientRecord,
    Service,
    Theme,
)
from portal_features.quotients.services import quotient_record_add

from . import commune
from .accounts import PASSWORD
from .quiet import alerts_without_emails
from .signup import Household, NewChild, family_signed_up

CITY = commune.SHORT_NAME
POSTAL_CODE = "45999"
STAFF_EMAIL = "enfance@example.fr"

CONSENT_TYPES = [
    (
        "Droit à l'image",
        "J'autorise la commune à photographier ou filmer mon enfant lors des activités et "
        "à publier ces images (site, bulletin municipal), sans nom de famille.",
    ),
    (
        "Sorties à pied",
        "J'autorise mon enfant à participer aux sorties à pied encadrées par l'équipe "
        "d'animation dans la commune.",
    ),
]

# name, scope, required, default validity in days, help for families
DOCUMENT_TYPES = [
    (
        "Vaccinations",
        DocumentType.Scope.CHILD,
        True,
        365,
        "Copie des pages de vaccination du carnet de santé.",
    ),
    (
        "Attestation de quotient familial",
        DocumentType.Scope.FAMILY,
        True,
        365,
        "Attestation CAF ou MSA de moins de trois mois indiquant votre quotient familial.",
    ),
    (
        "Justificatif de domicile",
        DocumentType.Scope.FAMILY,
        True,
        180,
        "Facture d'énergie, de téléphone ou quittance de loyer de moins de trois mois.",
    ),
    (
        "Attestation d'assurance",
        DocumentType.Scope.CHILD,
        False,
        365,
        "Attestation de responsabilité civile et individuelle accident pour l'année scolaire.",
    ),
    (
        "PAI",
        DocumentType.Scope.CHILD,
        False,
        None,
        "Le projet d'accueil individualisé signé par le médecin scolaire.",
    ),
    (
        "Jugement",
        DocumentType.Scope.FAMILY,
        False,
        None,
        "En cas de séparation, le jugement fixant la résidence des enfants.",
    ),
]

SERVICES = {
    "Centres de loisirs": ["Inscriptions", "Modifications"],
    "Restauration scolaire": ["Menus et régimes"],
    "Facturation": ["Questions"],
}


def ensure_reference_data(demo) -> None:
    """Consent types, document types and the services families write to (by name, once)."""
    for order, (name, description) in enumerate(CONSENT_TYPES):
        ConsentType.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    for order, (name, scope, required, days, description) in enumerate(DOCUMENT_TYPES):
        DocumentType.objects.get_or_create(
            name=name,
            defaults={
                "scope": scope,
                "is_required": required,
                "default_validity_days": days,
                "description": description,
                "sort_order": order,
            },
        )
    for service_name, themes in SERVICES.items():
        service, _ = Service.objects.get_or_create(
            name=service_name, defaults={"email": commune.EMAIL}
        )
        for theme in themes:
            Theme.objects.get_or_create(service=service, name=theme)


def school_year_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """1 September → 31 August of the school year `day` falls in."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


# Age on 31 December of the school year's first calendar year, by class.
AGE_BY_LEVEL = {"ms": 4, "cp": 6, "cm1": 9}


# Age on 31 December of the school year's first calendar year, by class.
AGE_BY_LEVEL = {"ps": 3, "ms": 4, "gs": 5, "cp": 6, "ce1": 7, "ce2": 8, "cm1": 9, "cm2": 10}


def signup_moments(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """When the families asked for their account and staff accepted it: mid-May, before
    the registration campaign of early June (`demo/documents.py`)."""
    start, _end = school_year_bounds(today)
    sent = datetime.datetime.combine(start.replace(month=5, day=18), datetime.time(20))
    decided = datetime.datetime.combine(start.replace(month=5, day=20), datetime.time(10))
    return sent.replace(tzinfo=PARIS), decided.replace(tzinfo=PARIS)


def birth_date(level: str, month_day: tuple[int, int], today: datetime.date) -> datetime.date:
    start, _end = school_year_bounds(today)
    return datetime.date(start.year - AGE_BY_LEVEL[level], *month_day)


@dataclass(frozen=True)
class ChildSpec:
    first_name: str
    sex: str
    school_level: str
    birthday: tuple[int, int]  # (month, day)
    health: dict = field(default_factory=dict)
    vaccinations: tuple[tuple[str, int], ...] = (("DTP", 1), ("ROR", 1))
    image_rights: bool = True


@dataclass(frozen=True)
class PersonSpec:
    child: str
    first_name: str
    last_name: str
    relationship: str
    phone: str
    emergency_contact: bool = True


@dataclass
class FileSteps:
    """The family completes its file: each change a request the parent sends from « Mon
    dossier » and staff accept two hours later."""

    family: Family
    staff: object
    at: datetime.datetime
    user: object = None

    def __post_init__(self):
        guardian = self.family.guardians.filter(user__isnull=False).select_related("user").first()
        self.user = guardian.user

    def ask(self, target, changes: dict, summary: str, *, model=None):
        self.at += datetime.timedelta(minutes=10)
        change_request = change_request_submit(
            family=self.family,
            target=target,
            changes=changes,
            user=self.user,
            summary=summary,
            action=CREATE if model else UPDATE,
            model=model,
            now=self.at,
        )
        change_request_accept(
            change_request=change_request,
            actor=self.staff,
            now=self.at + datetime.timedelta(hours=2),
        )

    def child_file(self, child: Child, spec: ChildSpec, persons=()) -> None:
        health = {"doctor_name": "Dr Lefèvre", "doctor_phone": "01 99 00 45 67", **spec.health}
        self.ask(child, health, f"Fiche sanitaire de {child.first_name}", model="healthrecord")
        for vaccine, years in spec.vaccinations:
            given = child.birth_date + datetime.timedelta(days=365 * years + 60)
            self.ask(
                child, {"vaccine": vaccine, "date": given}, f"Vaccin {vaccine}", model="vaccination"
            )
        if spec.image_rights:
            image = ConsentType.objects.get(name="Droit à l'image")
            self.ask(child, {f"consent:{image.pk}": True}, f"Droit à l'image de {child}")
        for person in persons:
            self.ask(
                child,
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "relationship": person.relationship,
                    "phone": person.phone,
                    "may_pick_up": True,
                    "emergency_contact": person.emergency_contact,
                },
                f"Personne autorisée : {person.first_name} {person.last_name}",
                model="authorizedperson",
            )

    def done(self) -> None:
        """The parent read the answers in « Mes alertes »."""
        notifications_mark_read(family=self.family, now=self.at + datetime.timedelta(hours=3))


def _household(email, civility, last_name, first_name, role, phone, address, children, **more):
    return Household(
        email=email,
        civility=civility,
        last_name=last_name,
        first_name=first_name,
        role=role,
        phone_mobile=phone,
        address_line=address,
        postal_code=POSTAL_CODE,
        city=CITY,
        children=tuple(children),
        **more,
    )


def _new_child(last_name: str, spec: ChildSpec, today) -> NewChild:
    return NewChild(
        last_name=last_name,
        first_name=spec.first_name,
        birth_date=birth_date(spec.school_level, spec.birthday, today),
        sex=spec.sex,
        school_level=spec.school_level,
    )


def _staff_quotient(family, value: str, source: str, today, staff) -> None:
    """Staff record the quotient read from the CAF's service, for the school year; recorded
    when it became valid (never later than now): the months the demo invoices in the past
    were priced, and are re-priced by a corrective run, with it."""
    start, end = school_year_bounds(today)
    recorded = min(datetime.datetime.combine(start, datetime.time(9), tzinfo=PARIS), timezone.now())
    quotient_record_add(
        family=family,
        value=Decimal(value),
        valid_from=start,
        valid_until=end,
        source=source,
        actor=staff,
        now=recorded,
    )


def _custody(family, child, custody: str, staff, at) -> None:
    membership = child.memberships.get(family=family)
    membership_custody_set(membership=membership, custody=custody, weekdays=[], actor=staff, now=at)


def _signed_up(household, *, today, staff, link_known=False):
    """The family, and whether it came in on this run (its file is then completed)."""
    existed = Family.objects.filter(guardians__user__email=household.email).exists()
    sent, decided = signup_moments(today)
    family = family_signed_up(
        household,
        staff=staff,
        sent=sent,
        decided=decided,
        password=PASSWORD,
        link_known=link_known,
    )
    return family, not existed, decided + datetime.timedelta(days=1)


DUPONT_CHILDREN = [
    ChildSpec("Léa", Child.Sex.FEMALE, "cm1", (3, 14)),
    ChildSpec(
        "Hugo",
        Child.Sex.MALE,
        "cp",
        (6, 2),
        health={
            "allergies": "Arachides",
            "has_pai": True,
            "pai_details": "Allergie alimentaire sévère : trousse d'urgence avec "
            "stylo d'adrénaline dans le sac.",
            "meal_type": HealthRecord.MealType.PACKED_MEAL,
            "diet_notes": "Panier-repas fourni par la famille.",
        },
    ),
    ChildSpec("Chloé", Child.Sex.FEMALE, "ms", (11, 23), image_rights=False),
]


def ensure_dupont(*, today, staff) -> None:
    household = _household(
        "claire.dupont@example.fr",
        Guardian.Civility.MADAME,
        "DUPONT",
        "Claire",
        Guardian.Role.MOTHER,
        "06 99 00 11 22",
        "12 rue des Tilleuls",
        [_new_child("DUPONT", spec, today) for spec in DUPONT_CHILDREN],
        # No login yet: Claire can invite him from the portal.
        second_guardian={
            "civility": Guardian.Civility.MONSIEUR,
            "last_name": "DUPONT",
            "first_name": "Marc",
            "role": Guardian.Role.FATHER,
            "email": "",
            "phone_mobile": "06 99 00 33 44",
        },
    )
    family, new, at = _signed_up(household, today=today, staff=staff)
    if not new:
        return
    steps = FileSteps(family, staff, at)
    steps.ask(
        family,
        {"benefits_regime": Family.BenefitsRegime.CAF, "benefits_number": "1234567"},
        "Allocataire CAF",
    )
    guardians = {guardian.first_name: guardian for guardian in family.guardians.all()}
    steps.ask(
        guardians["Claire"],
        {
            "marital_status": Guardian.MaritalStatus.MARRIED,
            "profession": "Infirmière",
            "employer": "Centre hospitalier de Montrivel",
        },
        "Situation de Claire DUPONT",
    )
    steps.ask(
        guardians["Marc"],
        {
            "marital_status": Guardian.MaritalStatus.MARRIED,
            "phone_work": "01 99 00 55 66",
            "profession": "Technicien",
            "employer": "Transports du Loiret",
        },
        "Situation de Marc DUPONT",
    )
    children = {child.first_name: child for child in Child.objects.for_family(family)}
    for spec in DUPONT_CHILDREN:
        grandmother = PersonSpec(
            spec.first_name, "Monique", "DUPONT", "Grand-mère", "06 99 00 77 88"
        )
        steps.child_file(children[spec.first_name], spec, [grandmother])
    steps.done()
    _staff_quotient(family, "850.00", QuotientRecord.Source.CAF, today, staff)


def ensure_martin(*, today, staff) -> None:
    nathan = ChildSpec("Nathan", Child.Sex.MALE, "cp", (9, 30))
    household = _household(
        "paul.martin@example.fr",
        Guardian.Civility.MONSIEUR,
        "MARTIN",
        "Paul",
        Guardian.Role.FATHER,
        "06 99 01 22 33",
        "4 impasse des Vignes",
        [_new_child("MARTIN", nathan, today)],
    )
    family, new, at = _signed_up(household, today=today, staff=staff)
    if not new:
        return
    steps = FileSteps(family, staff, at)
    steps.ask(
        family,
        {"benefits_regime": Family.BenefitsRegime.MSA, "benefits_number": "7654321"},
        "Allocataire MSA",
    )
    steps.ask(
        family.guardians.get(),
        {"marital_status": Guardian.MaritalStatus.SINGLE},
        "Situation de Paul MARTIN",
    )
    aunt = PersonSpec("Nathan", "Sophie", "MARTIN", "Tante", "06 99 01 44 55")
    steps.child_file(Child.objects.for_family(family).get(), nathan, [aunt])
    steps.done()


EMMA = ChildSpec("Emma", Child.Sex.FEMALE, "cp", (4, 8))


def ensure_bernard_and_roussel(*, today, staff) -> None:
    """Emma's parents live apart: one file each, Emma in both, each with its own persons.
    BERNARD sent no proof of address with its request (nor since)."""
    emma = _new_child("ROUSSEL", EMMA, today)
    household = _household(
        "julie.bernard@example.fr",
        Guardian.Civility.MADAME,
        "BERNARD",
        "Julie",
        Guardian.Role.MOTHER,
        "06 99 02 11 22",
        "8 allée des Peupliers",
        [emma],
        not_sent=("Justificatif de domicile",),
    )
    bernard, new, at = _signed_up(household, today=today, staff=staff)
    start, end = school_year_bounds(today)
    if new:
        steps = FileSteps(bernard, staff, at)
        steps.ask(bernard, {"benefits_number": "2345678"}, "Numéro d'allocataire")
        steps.ask(
            bernard.guardians.get(),
            {"marital_status": Guardian.MaritalStatus.SEPARATED},
            "Situation de Julie BERNARD",
        )
        steps.ask(
            bernard,
            {"value": Decimal("620.00"), "valid_from": start, "valid_until": end},
            "Quotient familial",
            model="quotientrecord",
        )
        grandmother = PersonSpec("Emma", "Nicole", "BERNARD", "Grand-mère", "06 99 02 33 44")
        child = Child.objects.for_family(bernard).get()
        steps.child_file(child, EMMA, [grandmother])
        steps.done()
        _custody(bernard, child, Custody.ODD_WEEKS, staff, steps.at)
    # Thomas asks for his own file with Emma; already known in her mother's, staff link her
    # when they accept it rather than create her twice.
    household = _household(
        "thomas.roussel@example.fr",
        Guardian.Civility.MONSIEUR,
        "ROUSSEL",
        "Thomas",
        Guardian.Role.FATHER,
        "06 99 03 11 22",
        "27 avenue de la Loire",
        [emma],
    )
    roussel, new, at = _signed_up(household, today=today, staff=staff, link_known=True)
    if not new:
        return
    steps = FileSteps(roussel, staff, at)
    steps.ask(roussel, {"benefits_number": "3456789"}, "Numéro d'allocataire")
    steps.ask(
        roussel.guardians.get(),
        {"marital_status": Guardian.MaritalStatus.SEPARATED},
        "Situation de Thomas ROUSSEL",
    )
    child = Child.objects.for_family(roussel).get()
    companion = PersonSpec(
        "Emma", "Karim", "HADDAD", "Compagnon", "06 99 03 33 44", emergency_contact=False
    )
    steps.ask(
        child,
        {
            "first_name": companion.first_name,
            "last_name": companion.last_name,
            "relationship": companion.relationship,
            "phone": companion.phone,
            "may_pick_up": True,
            "emergency_contact": False,
        },
        "Personne autorisée : Karim HADDAD",
        model="authorizedperson",
    )
    steps.done()
    _custody(roussel, child, Custody.EVEN_WEEKS, staff, steps.at)


@transaction.atomic
def ensure_families(demo) -> None:
    today = timezone.localdate()
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    with alerts_without_emails():
        ensure_dupont(today=today, staff=staff)
        ensure_martin(today=today, staff=staff)
        ensure_bernard_and_roussel(today=today, staff=staff)
