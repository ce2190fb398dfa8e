"""The demo's families and what staff define for them (consents, documents asked, services).

Families are made with the ORM, numbered by `family_number_allocate` as the portal does; each
is built once, found again by its guardian's login, and never touched on a later run.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal_features.models import (
    AuthorizedPerson,
    Child,
    ChildMembership,
    Consent,
    ConsentType,
    Custody,
    DocumentType,
    Family,
    FamilyEvent,
    Guardian,
    HealthRecord,
    QuotientRecord,
    Service,
    Theme,
    Vaccination,
)
from portal_features.numbering import family_number_allocate

from . import commune

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


@dataclass(frozen=True)
class ChildSpec:
    first_name: str
    sex: str
    school_level: str
    birthday: tuple[int, int]  # (month, day)
    school: str = "École Jules-Ferry"
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


def _birth_date(spec: ChildSpec, school_year_start: datetime.date) -> datetime.date:
    year = school_year_start.year - AGE_BY_LEVEL[spec.school_level]
    return datetime.date(year, *spec.birthday)


def _user(email: str):
    return get_user_model().objects.get(email=email)


def _family(*, name: str, address_line: str, today, **fields) -> Family:
    return Family.objects.create(
        number=family_number_allocate(year=today.year),
        name=name,
        address_line=address_line,
        postal_code=POSTAL_CODE,
        city=CITY,
        **fields,
    )


def _quotient(family: Family, value: Decimal, start, end, source: str) -> None:
    """Recorded when it became valid (never later than now): the months the demo invoices
    in the past were priced, and are re-priced by a corrective run, with it."""
    recorded_at = min(
        timezone.make_aware(datetime.datetime.combine(start, datetime.time(9))), timezone.now()
    )
    QuotientRecord.objects.create(
        family=family,
        value=value,
        valid_from=start,
        valid_until=end,
        source=source,
        recorded_at=recorded_at,
    )


def _add_child(*, family: Family, last_name: str, spec: ChildSpec, school_year_start) -> Child:
    child = Child.objects.create(
        last_name=last_name,
        first_name=spec.first_name,
        birth_date=_birth_date(spec, school_year_start),
        sex=spec.sex,
        school=spec.school,
        school_level=spec.school_level,
    )
    ChildMembership.objects.create(child=child, family=family)
    record = HealthRecord.objects.create(
        child=child, doctor_name="Dr Lefèvre", doctor_phone="01 99 00 45 67", **spec.health
    )
    # Vaccines given in the first years of life, dated from the birth date.
    Vaccination.objects.bulk_create(
        Vaccination(
            health_record=record,
            vaccine=vaccine,
            date=child.birth_date + datetime.timedelta(days=365 * years + 60),
        )
        for vaccine, years in spec.vaccinations
    )
    Consent.objects.create(
        child=child,
        consent_type=ConsentType.objects.get(name="Droit à l'image"),
        granted=spec.image_rights,
    )
    return child


def _add_persons(*, family: Family, children: dict[str, Child], persons) -> None:
    for person in persons:
        AuthorizedPerson.objects.create(
            family=family,
            child=children[person.child],
            first_name=person.first_name,
            last_name=person.last_name,
            relationship=person.relationship,
            phone=person.phone,
            may_pick_up=True,
            emergency_contact=person.emergency_contact,
        )


def _created(family: Family, staff) -> None:
    FamilyEvent.objects.create(
        family=family,
        actor=staff,
        action=FamilyEvent.Action.CREATED,
        description="Dossier créé par le service enfance-jeunesse",
    )


def _exists(email: str) -> bool:
    return Family.objects.filter(guardians__user__email=email).exists()


def ensure_dupont(*, today, staff) -> None:
    if _exists("claire.dupont@example.fr"):
        return
    start, end = school_year_bounds(today)
    family = _family(
        name="DUPONT",
        address_line="12 rue des Tilleuls",
        today=today,
        benefits_regime=Family.BenefitsRegime.CAF,
        benefits_number="1234567",
    )
    _quotient(family, Decimal("850.00"), start, end, QuotientRecord.Source.CAF)
    Guardian.objects.create(
        family=family,
        user=_user("claire.dupont@example.fr"),
        is_primary=True,
        civility=Guardian.Civility.MADAME,
        last_name="DUPONT",
        first_name="Claire",
        role=Guardian.Role.MOTHER,
        marital_status=Guardian.MaritalStatus.MARRIED,
        phone_mobile="06 99 00 11 22",
        email="claire.dupont@example.fr",
        profession="Infirmière",
        employer="Centre hospitalier de Montrivel",
    )
    # No login yet: Claire can invite him from the portal.
    Guardian.objects.create(
        family=family,
        is_primary=False,
        civility=Guardian.Civility.MONSIEUR,
        last_name="DUPONT",
        first_name="Marc",
        role=Guardian.Role.FATHER,
        marital_status=Guardian.MaritalStatus.MARRIED,
        phone_mobile="06 99 00 33 44",
        phone_work="01 99 00 55 66",
        profession="Technicien",
        employer="Transports du Loiret",
    )
    specs = [
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
    children = {
        spec.first_name: _add_child(
            family=family, last_name="DUPONT", spec=spec, school_year_start=start
        )
        for spec in specs
    }
    for child in children.values():
        _add_persons(
            family=family,
            children=children,
            persons=[
                PersonSpec(child.first_name, "Monique", "DUPONT", "Grand-mère", "06 99 00 77 88")
            ],
        )
    _created(family, staff)


def ensure_martin(*, today, staff) -> None:
    if _exists("paul.martin@example.fr"):
        return
    start, end = school_year_bounds(today)
    family = _family(
        name="MARTIN",
        address_line="4 impasse des Vignes",
        today=today,
        benefits_regime=Family.BenefitsRegime.MSA,
        benefits_number="7654321",
    )
    Guardian.objects.create(
        family=family,
        user=_user("paul.martin@example.fr"),
        is_primary=True,
        civility=Guardian.Civility.MONSIEUR,
        last_name="MARTIN",
        first_name="Paul",
        role=Guardian.Role.FATHER,
        marital_status=Guardian.MaritalStatus.SINGLE,
        phone_mobile="06 99 01 22 33",
        email="paul.martin@example.fr",
    )
    child = _add_child(
        family=family,
        last_name="MARTIN",
        spec=ChildSpec("Nathan", Child.Sex.MALE, "cp", (9, 30)),
        school_year_start=start,
    )
    _add_persons(
        family=family,
        children={"Nathan": child},
        persons=[PersonSpec("Nathan", "Sophie", "MARTIN", "Tante", "06 99 01 44 55")],
    )
    _created(family, staff)


def ensure_bernard_and_roussel(*, today, staff) -> None:
    """Emma's parents live apart: one file each, Emma in both, each with its own persons."""
    start, end = school_year_bounds(today)
    if not _exists("julie.bernard@example.fr"):
        bernard = _family(
            name="BERNARD",
            address_line="8 allée des Peupliers",
            today=today,
            benefits_number="2345678",
        )
        _quotient(bernard, Decimal("620.00"), start, end, QuotientRecord.Source.ATTESTATION)
        Guardian.objects.create(
            family=bernard,
            user=_user("julie.bernard@example.fr"),
            is_primary=True,
            civility=Guardian.Civility.MADAME,
            last_name="BERNARD",
            first_name="Julie",
            role=Guardian.Role.MOTHER,
            marital_status=Guardian.MaritalStatus.SEPARATED,
            phone_mobile="06 99 02 11 22",
            email="julie.bernard@example.fr",
        )
        emma = _add_child(
            family=bernard,
            last_name="ROUSSEL",
            spec=ChildSpec("Emma", Child.Sex.FEMALE, "cp", (4, 8)),
            school_year_start=start,
        )
        membership = emma.memberships.get(family=bernard)
        membership.custody_notes = "Garde alternée : semaines impaires chez la mère."
        membership.custody = Custody.ODD_WEEKS
        membership.save(update_fields=["custody_notes", "custody"])
        _add_persons(
            family=bernard,
            children={"Emma": emma},
            persons=[PersonSpec("Emma", "Nicole", "BERNARD", "Grand-mère", "06 99 02 33 44")],
        )
        _created(bernard, staff)
    if _exists("thomas.roussel@example.fr"):
        return
    bernard = Family.objects.get(guardians__user__email="julie.bernard@example.fr")
    emma = Child.objects.for_family(bernard).get(first_name="Emma")
    roussel = _family(
        name="ROUSSEL",
        address_line="27 avenue de la Loire",
        today=today,
        benefits_number="3456789",
    )
    Guardian.objects.create(
        family=roussel,
        user=_user("thomas.roussel@example.fr"),
        is_primary=True,
        civility=Guardian.Civility.MONSIEUR,
        last_name="ROUSSEL",
        first_name="Thomas",
        role=Guardian.Role.FATHER,
        marital_status=Guardian.MaritalStatus.SEPARATED,
        phone_mobile="06 99 03 11 22",
        email="thomas.roussel@example.fr",
    )
    ChildMembership.objects.create(
        child=emma,
        family=roussel,
        custody=Custody.EVEN_WEEKS,
        custody_notes="Garde alternée : semaines paires chez le père.",
    )
    _add_persons(
        family=roussel,
        children={"Emma": emma},
        persons=[
            PersonSpec(
                "Emma", "Karim", "HADDAD", "Compagnon", "06 99 03 33 44", emergency_contact=False
            )
        ],
    )
    _created(roussel, staff)


@transaction.atomic
def ensure_families(demo) -> None:
    today = timezone.localdate()
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    ensure_dupont(today=today, staff=staff)
    ensure_martin(today=today, staff=staff)
    ensure_bernard_and_roussel(today=today, staff=staff)
