"""The documents library: categories and the PDFs families download (tarifs, règlements…)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from documents_library.models import DocumentCategory

from . import commune
from .files import ensure_document
from .pdf import render_pdf

# (slug, name), in the order the library lists them.
CATEGORIES = [
    ("tarifs", "Tarifs"),
    ("reglements", "Règlements de fonctionnement"),
    ("inscriptions", "Inscriptions"),
    ("menus", "Menus"),
]
QF_BRACKETS = [
    "0 à 450 €",
    "451 à 700 €",
    "701 à 1 000 €",
    "1 001 à 1 400 €",
    "Plus de 1 400 € ou non communiqué",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass(frozen=True)
class DemoSchoolYear:
    """A school year as the demo documents name it; the portal has its own model."""

    start: int

    @classmethod
    def containing(cls, day: datetime.date) -> "DemoSchoolYear":
        # A school year runs from 1 September to 31 August.
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.start + 1, 8, 31)

    def previous(self) -> "DemoSchoolYear":
        return DemoSchoolYear(self.start - 1)


def euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def _tariff_table(columns: list[str], first_prices: list[Decimal], step: Decimal) -> str:
    head = "".join(f"<th>{column}</th>" for column in ["Quotient familial", *columns])
    rows = []
    for index, bracket in enumerate(QF_BRACKETS):
        cells = "".join(
            f'<td class="amount">{euros(price + step * index)}</td>' for price in first_prices
        )
        rows.append(f"<tr><td>{bracket}</td>{cells}</tr>")
    outside = "".join(
        f'<td class="amount">{euros(price + step * 6)}</td>' for price in first_prices
    )
    rows.append(f"<tr><td>Familles hors commune</td>{outside}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def leisure_tariffs_html(year: DemoSchoolYear, increase: Decimal = Decimal("0")) -> str:
    table = _tariff_table(
        ["Journée avec repas", "Demi-journée sans repas", "Demi-journée avec repas"],
        [Decimal("6.40") + increase, Decimal("2.90") + increase, Decimal("4.80") + increase],
        Decimal("2.15"),
    )
    return f"""
<p>Les tarifs de l'accueil de loisirs (mercredis et vacances scolaires) dépendent du
quotient familial (QF) de la famille, calculé par la CAF ou la MSA. Sans attestation de
quotient familial à jour, le tarif de la dernière tranche s'applique.</p>
<h2>Mercredis et vacances scolaires – année {year.label}</h2>
{table}
<h2>Modalités</h2>
<ul>
  <li>Les réservations se font sur le Portail Famille, au plus tard le 20 du mois précédent.</li>
  <li>Toute journée réservée et non annulée 48 heures à l'avance est facturée, sauf
      présentation d'un certificat médical dans les 5 jours.</li>
  <li>La facture mensuelle est disponible sur le Portail Famille au début du mois suivant.</li>
</ul>
<p class="note">Tarifs votés par le conseil municipal, applicables du 1er septembre {year.start}
au 31 août {year.start + 1}.</p>"""


def canteen_tariffs_html(year: DemoSchoolYear) -> str:
    table = _tariff_table(
        ["Repas maternelle", "Repas élémentaire", "Accueil du matin", "Accueil du soir"],
        [Decimal("1.00"), Decimal("1.20"), Decimal("0.80"), Decimal("1.10")],
        Decimal("0.65"),
    )
    return f"""
<p>Le prix du repas et de l'accueil périscolaire dépend du quotient familial de la famille.
Le repas à 1 € s'applique aux familles de la première tranche (tarification sociale).</p>
<h2>Restauration scolaire et accueil périscolaire – année {year.label}</h2>
{table}
<p>Un enfant bénéficiant d'un projet d'accueil individualisé (PAI) avec panier-repas fourni
par la famille paie uniquement l'accueil : 0,90 €.</p>"""


def leisure_rules_html(year: DemoSchoolYear) -> str:
    articles = [
        (
            "Article 1 – Objet",
            "Le présent règlement intérieur fixe les conditions d'accueil "
            "des enfants de 3 à 12 ans à l'accueil de loisirs des Tilleuls, les mercredis et "
            "pendant les vacances scolaires.",
        ),
        (
            "Article 2 – Inscription",
            "L'inscription est annuelle. Le dossier famille doit être "
            "complet sur le Portail Famille : fiche sanitaire, vaccinations à jour, attestation "
            "d'assurance et attestation de quotient familial.",
        ),
        (
            "Article 3 – Horaires",
            "L'accueil est ouvert de 7 h 30 à 18 h 30. Les enfants sont "
            "accueillis jusqu'à 9 h 30 et repris à partir de 16 h 30 par un responsable légal "
            "ou une personne autorisée.",
        ),
        (
            "Article 4 – Réservations et annulations",
            "Les journées se réservent sur le Portail "
            "Famille jusqu'au 20 du mois précédent. Une annulation est possible jusqu'à 48 "
            "heures avant ; au-delà, la journée est facturée sauf absence justifiée.",
        ),
        (
            "Article 5 – Santé",
            "Aucun médicament n'est administré sans ordonnance et "
            "autorisation écrite. Les allergies et régimes alimentaires doivent être signalés "
            "dans la fiche sanitaire ; un PAI est établi avec le médecin scolaire.",
        ),
        (
            "Article 6 – Facturation",
            "Les présences sont facturées chaque mois selon les "
            "tarifs votés par le conseil municipal. Les factures se règlent en ligne, par "
            "chèque, en espèces, par CESU ou par prélèvement automatique.",
        ),
    ]
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in articles)
    return (
        f"<p>Applicable à compter du 1er septembre {year.start}. Adopté par délibération du "
        f"conseil municipal de {commune.SHORT_NAME}.</p>{body}"
    )


def canteen_rules_html(year: DemoSchoolYear) -> str:
    return f"""
<p>La restauration scolaire est un service municipal facultatif ouvert aux élèves des
écoles maternelles et élémentaires de {commune.SHORT_NAME}.</p>
<h2>Inscription et réservation</h2>
<p>Les repas se réservent sur le Portail Famille, à l'année ou au mois, au plus tard le
jeudi pour la semaine suivante.</p>
<h2>Allergies et régimes</h2>
<p>Un repas sans porc ou végétarien est proposé chaque jour. Les allergies alimentaires
font l'objet d'un projet d'accueil individualisé (PAI).</p>
<h2>Vie collective</h2>
<p>Le temps du repas est un moment éducatif : respect des camarades, du personnel et de la
nourriture. Tout manquement répété est signalé à la famille.</p>
<p class="note">Règlement applicable pour l'année scolaire {year.label}.</p>"""


def registration_form_html(year: DemoSchoolYear) -> str:
    fields = [
        "Nom et prénom de l'enfant",
        "Date de naissance",
        "École et classe à la rentrée",
        "Responsable légal 1 : nom, téléphone, e-mail",
        "Responsable légal 2 : nom, téléphone, e-mail",
        "Adresse",
        "N° allocataire CAF ou MSA",
        "Personnes autorisées à venir chercher l'enfant",
        "Allergies, régime alimentaire, PAI",
    ]
    lines = "".join(f"<p>{label} :</p><div class='field'></div>" for label in fields)
    return f"""
<p>Fiche à remplir pour chaque enfant si vous ne pouvez pas utiliser le Portail Famille.
À déposer à l'accueil de la mairie avec les pièces justificatives.</p>
<h2>L'enfant et sa famille</h2>
{lines}
<h2>Services souhaités pour l'année {year.label}</h2>
<p>☐ Restauration scolaire ☐ Accueil du matin ☐ Accueil du soir ☐ Mercredis ☐ Vacances</p>
<h2>Pièces à joindre</h2>
<ul><li>Copie des vaccinations</li><li>Attestation de quotient familial</li>
<li>Justificatif de domicile de moins de 3 mois</li><li>Attestation d'assurance</li></ul>
<p>Date et signature :</p><div class="field"></div>"""


def menus_html(month_label: str) -> str:
    dishes = [
        ("Carottes râpées", "Sauté de dinde, riz", "Yaourt bio", "Pomme"),
        ("Velouté de potiron", "Poisson pané, purée", "Emmental", "Compote"),
        ("Salade de lentilles", "Omelette, haricots verts", "Fromage blanc", "Poire"),
        ("Betteraves", "Bœuf bourguignon, pâtes", "Camembert", "Clémentine"),
    ]
    days = ["Lundi", "Mardi", "Jeudi", "Vendredi"]
    weeks = []
    for week in range(1, 5):
        rows = "".join(
            f"<tr><td>{day}</td><td>{' · '.join(dishes[(week + index) % 4])}</td></tr>"
            for index, day in enumerate(days)
        )
        weeks.append(
            f"<h2>Semaine {week}</h2><table><thead><tr><th>Jour</th><th>Menu</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return (
        f"<p>Menus de la cantine préparés par la cuisine centrale pour {month_label}. "
        "Le mercredi, les menus sont servis à l'accueil de loisirs.</p>"
        + "".join(weeks)
        + "<p class='note'>Produits issus de l'agriculture biologique : 30 % ; un repas "
        "végétarien par semaine. Menus susceptibles de modifications.</p>"
    )


def calendar_html(year: DemoSchoolYear) -> str:
    periods = [
        ("Vacances de la Toussaint", f"octobre {year.start}", f"1er septembre {year.start}"),
        ("Vacances de Noël", f"décembre {year.start}", f"1er novembre {year.start}"),
        ("Vacances d'hiver", f"février {year.start + 1}", f"5 janvier {year.start + 1}"),
        ("Vacances de printemps", f"avril {year.start + 1}", f"1er mars {year.start + 1}"),
        ("Vacances d'été", f"juillet-août {year.start + 1}", f"15 mai {year.start + 1}"),
    ]
    rows = "".join(
        f"<tr><td>{name}</td><td>{when}</td><td>à partir du {opens}</td></tr>"
        for name, when, opens in periods
    )
    return f"""
<p>Les inscriptions à l'accueil de loisirs pour chaque période de vacances ouvrent sur le
Portail Famille aux dates ci-dessous et ferment trois semaines avant le début des vacances.</p>
<table><thead><tr><th>Période</th><th>Dates</th><th>Ouverture des inscriptions</th></tr></thead>
<tbody>{rows}</tbody></table>
<p class="note">Zone B. Calendrier de l'année scolaire {year.label}, sous réserve des dates
officielles publiées par le ministère de l'Éducation nationale.</p>"""


def _document_specs(today: datetime.date) -> list[dict]:
    year = DemoSchoolYear.containing(today)
    previous = year.previous()
    month_label = f"{MONTHS[today.month - 1]} {today.year}"
    return [
        {
            "key": "leisure_tariffs",
            "title": f"Tarifs de l'accueil de loisirs {year.label}",
            "filename": f"tarifs-accueil-de-loisirs-{year.label}.pdf",
            "category": "tarifs",
            "validity_label": year.label,
            "valid_until": year.last_day,
            "description": "Mercredis et vacances, selon le quotient familial.",
            "html": lambda: leisure_tariffs_html(year),
        },
        {
            "key": "canteen_tariffs",
            "title": f"Tarifs de la restauration scolaire et du périscolaire {year.label}",
            "filename": f"tarifs-restauration-periscolaire-{year.label}.pdf",
            "category": "tarifs",
            "validity_label": year.label,
            "valid_until": year.last_day,
            "description": "Repas, accueil du matin et du soir.",
            "html": lambda: canteen_tariffs_html(year),
        },
        {
            "key": "previous_leisure_tariffs",
            "title": f"Tarifs de l'accueil de loisirs {previous.label}",
            "filename": f"tarifs-accueil-de-loisirs-{previous.label}.pdf",
            "category": "tarifs",
            "validity_label": previous.label,
            "valid_until": previous.last_day,
            "description": "Tarifs de l'année scolaire précédente, pour mémoire.",
            "html": lambda: leisure_tariffs_html(previous, increase=Decimal("-0.20")),
        },
        {
            "key": "leisure_rules",
            "title": "Règlement intérieur de l'accueil de loisirs",
            "filename": "reglement-interieur-accueil-de-loisirs.pdf",
            "category": "reglements",
            "validity_label": year.label,
            "valid_until": None,
            "description": "Inscription, horaires, réservations, santé et facturation.",
            "html": lambda: leisure_rules_html(year),
        },
        {
            "key": "canteen_rules",
            "title": "Règlement de la restauration scolaire",
            "filename": "reglement-restauration-scolaire.pdf",
            "category": "reglements",
            "validity_label": year.label,
            "valid_until": None,
            "description": "Réservation des repas, allergies et vie collective.",
            "html": lambda: canteen_rules_html(year),
        },
        {
            "key": "registration_form",
            "title": f"Fiche d'inscription enfance-jeunesse {year.label}",
            "filename": f"fiche-inscription-enfance-jeunesse-{year.label}.pdf",
            "category": "inscriptions",
            "validity_label": year.label,
            "valid_until": year.last_day,
            "description": "Pour les familles qui ne peuvent pas s'inscrire en ligne.",
            "html": lambda: registration_form_html(year),
        },
        {
            "key": "holiday_calendar",
            "title": f"Calendrier des inscriptions aux vacances {year.label}",
            "filename": f"calendrier-inscriptions-vacances-{year.label}.pdf",
            "category": "inscriptions",
            "validity_label": year.label,
            "valid_until": year.last_day,
            "description": "Ouverture des inscriptions pour chaque période de vacances.",
            "html": lambda: calendar_html(year),
        },
        {
            "key": "menus",
            "title": "Menus de la restauration scolaire",
            "filename": "menus-restauration-scolaire.pdf",
            "category": "menus",
            "validity_label": month_label.capitalize(),
            "valid_until": None,
            "description": "Les menus du mois dans les écoles et à l'accueil de loisirs.",
            "html": lambda: menus_html(month_label),
        },
    ]


def ensure_documents(demo) -> None:
    categories = {}
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        categories[slug], _ = DocumentCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10}
        )
    for spec in _document_specs(timezone.localdate()):
        demo.documents[spec["key"]] = ensure_document(
            title=spec["title"],
            filename=spec["filename"],
            render=lambda spec=spec: render_pdf(
                title=spec["title"],
                subtitle=f"{commune.NAME} – {spec['validity_label']}",
                body_html=spec["html"](),
            ),
            category=categories[spec["category"]],
            description=spec["description"],
            validity_label=spec["validity_label"],
            valid_until=spec["valid_until"],
        )
