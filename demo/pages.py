"""The commune's section pages under the home page, in the order of the main menu."""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.models import ContactFormField, ContactPage, StandardPage
from documents_library.models import DocumentsLibraryPage
from news.models import NewsIndexPage

from . import commune


@dataclass(frozen=True)
class PageSpec:
    key: str
    model: type[Page]
    slug: str
    title: str
    show_in_menus: bool
    # Called once every page exists, since bodies link to one another.
    content: Callable[..., dict]


def paragraph(html: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(html))


def childhood_content(demo) -> dict:
    return {
        "intro": (
            "Accueil de loisirs, accueil périscolaire, restauration scolaire : les services "
            "de la commune pour les enfants de 3 à 12 ans."
        ),
        "body": [
            ("heading", "L'accueil de loisirs des Tilleuls"),
            paragraph(
                "<p>Les mercredis et pendant les vacances scolaires, l'équipe d'animation "
                "accueille les enfants de 7 h 30 à 18 h 30 : activités manuelles, sorties, "
                "sport et grands jeux, selon le projet pédagogique de l'année.</p>"
            ),
            ("heading", "Accueil périscolaire"),
            paragraph(
                "<p>Avant et après la classe, les enfants sont accueillis dans chaque groupe "
                "scolaire, le matin dès 7 h 30 et le soir jusqu'à 18 h 30.</p>"
            ),
            ("heading", "Restauration scolaire"),
            paragraph(
                "<p>La cuisine centrale prépare chaque jour des repas équilibrés, avec des "
                "produits bio et locaux. Les menus de la cantine sont publiés chaque mois.</p>"
            ),
            ("document", {"document": demo.documents["menus"], "title": ""}),
            ("heading", "Le Portail Famille"),
            paragraph(
                "<p>Inscriptions, réservations, factures et paiement en ligne : toutes vos "
                "démarches se font sur le Portail Famille, depuis un téléphone ou un "
                "ordinateur.</p>"
            ),
            (
                "call_to_action",
                {"text": "Voir les documents utiles", "page": demo.pages["documents"], "url": ""},
            ),
        ],
    }


def news_index_content(demo) -> dict:
    return {"intro": "Toute l'actualité de la commune et des services enfance-jeunesse."}


def library_content(demo) -> dict:
    return {
        "intro": (
            "Tarifs, règlements de fonctionnement, fiches d'inscription et menus : les "
            "documents à télécharger, classés par thème."
        )
    }


def practical_content(demo) -> dict:
    return {
        "intro": "Horaires, inscriptions, tarifs : l'essentiel pour vos démarches.",
        "body": [
            ("heading", "Horaires de la mairie"),
            paragraph(
                "<p>L'hôtel de ville vous accueille du lundi au vendredi de 8 h 30 à 12 h "
                "et de 13 h 30 à 17 h 30, et le samedi de 9 h à 12 h.</p>"
            ),
            ("heading", "S'inscrire aux services enfance-jeunesse"),
            paragraph(
                "<p>Créez votre dossier famille sur le Portail Famille, puis inscrivez vos "
                "enfants aux activités. Pièces à fournir : <b>vaccinations</b>, attestation "
                "de quotient familial, justificatif de domicile et attestation "
                "d'assurance.</p>"
            ),
            ("document", {"document": demo.documents["registration_form"], "title": ""}),
            ("heading", "Tarifs"),
            paragraph(
                "<p>Les tarifs dépendent de votre quotient familial. Sans attestation à "
                "jour, le tarif de la dernière tranche s'applique.</p>"
            ),
            ("document", {"document": demo.documents["leisure_tariffs"], "title": ""}),
            (
                "call_to_action",
                {"text": "Poser une question au service", "page": demo.pages["contact"], "url": ""},
            ),
        ],
    }


def contact_content(demo) -> dict:
    fields = [
        ("nom", "Nom et prénom", "singleline"),
        ("email", "Adresse e-mail", "email"),
        ("sujet", "Sujet", "singleline"),
        ("message", "Message", "multiline"),
    ]
    return {
        "intro": (
            "<p>Une question sur les inscriptions, les réservations ou une facture ? "
            "Écrivez au service enfance-jeunesse, nous vous répondons sous deux jours "
            "ouvrés.</p>"
        ),
        "thank_you_text": "<p>Merci, votre message a bien été envoyé au service.</p>",
        "to_address": commune.EMAIL,
        "from_address": f"site@{commune.EMAIL.split('@')[1]}",
        "subject": "Message depuis le site de la commune",
        "form_fields": [
            ContactFormField(
                sort_order=order, clean_name=name, label=label, field_type=kind, required=True
            )
            for order, (name, label, kind) in enumerate(fields)
        ],
    }


def legal_notice_content(demo) -> dict:
    return {
        "intro": "Informations légales sur le site de la commune.",
        "body": [
            ("heading", "Éditeur du site"),
            paragraph(
                f"<p>{commune.NAME}, {commune.ADDRESS.replace(chr(10), ', ')}. "
                f"Téléphone : {commune.PHONE}.</p>"
            ),
            ("heading", "Directeur de la publication"),
            paragraph("<p>Le maire de la commune.</p>"),
            ("heading", "Hébergement"),
            paragraph("<p>Site hébergé en France par le prestataire informatique de la ville.</p>"),
            ("heading", "Logiciel"),
            paragraph(
                "<p>Portail Famille, logiciel libre publié sous licence AGPL, construit avec "
                "Django et Wagtail.</p>"
            ),
        ],
    }


def privacy_content(demo) -> dict:
    return {
        "intro": "Comment la commune protège les données personnelles des familles (RGPD).",
        "body": [
            ("heading", "Responsable du traitement"),
            paragraph(f"<p>{commune.NAME}, représentée par son maire.</p>"),
            ("heading", "Données collectées et finalités"),
            paragraph(
                "<p>Les données du dossier famille (responsables légaux, enfants, fiche "
                "sanitaire, quotient familial) servent uniquement à l'inscription aux "
                "services, à la sécurité des enfants et à la facturation.</p>"
            ),
            ("heading", "Durée de conservation"),
            paragraph(
                "<p>Le dossier est conservé tant que la famille utilise les services. Trois "
                "ans après sa dernière activité (réservation, commande, facture, paiement, "
                "connexion, message ou pièce envoyée), il est anonymisé : les noms, "
                "adresses, téléphones, e-mails, coordonnées bancaires, quotients familiaux, "
                "fiches sanitaires, autorisations, personnes autorisées, pièces "
                "justificatives, certificats, messages et demandes sont supprimés ou "
                "effacés, et le compte de connexion est fermé. Les factures, avoirs et "
                "paiements, avec leurs numéros et leurs montants, sont conservés dix ans, "
                "comme la loi comptable l'exige. Le service enfance peut anonymiser plus tôt "
                "le dossier d'une famille qui a quitté la commune, si rien ne reste à "
                "payer.</p>"
            ),
            ("heading", "Vos droits"),
            paragraph(
                "<p>Vous pouvez télécharger à tout moment toutes les données de votre "
                "dossier (famille, enfants, inscriptions, réservations et leur historique, "
                "commandes, absences et certificats, factures, paiements, pièces "
                "justificatives et messages) depuis la page « Mes données » de votre espace "
                "famille. Vous pouvez les faire rectifier depuis « Mon dossier » ou en "
                f"demander l'effacement en écrivant à {commune.EMAIL}. Vous pouvez aussi "
                "saisir la CNIL.</p>"
            ),
        ],
    }


PAGE_SPECS = [
    PageSpec(
        "childhood", StandardPage, "enfance-jeunesse", "Enfance-Jeunesse", True, childhood_content
    ),
    PageSpec("news", NewsIndexPage, "actualites", "Actualités", True, news_index_content),
    PageSpec(
        "documents",
        DocumentsLibraryPage,
        # Not "documents": Wagtail serves the files themselves under /documents/.
        "documents-a-telecharger",
        "Documents à télécharger",
        True,
        library_content,
    ),
    PageSpec(
        "practical", StandardPage, "infos-pratiques", "Infos pratiques", True, practical_content
    ),
    PageSpec("contact", ContactPage, "nous-contacter", "Nous contacter", True, contact_content),
    PageSpec(
        "legal_notice",
        StandardPage,
        "mentions-legales",
        "Mentions légales",
        False,
        legal_notice_content,
    ),
    PageSpec(
        "privacy",
        StandardPage,
        "politique-de-confidentialite",
        "Politique de confidentialité",
        False,
        privacy_content,
    ),
]


def ensure_pages(demo) -> None:
    """Create the missing section pages; pages that already exist are left as editors left them."""
    created = []
    for spec in PAGE_SPECS:
        page = demo.home.get_children().filter(slug=spec.slug).specific().first()
        if page is None:
            page = spec.model(title=spec.title, slug=spec.slug, show_in_menus=spec.show_in_menus)
            demo.home.add_child(instance=page)
            created.append((spec, page))
        demo.pages[spec.key] = page
    for spec, page in created:
        for name, value in spec.content(demo).items():
            setattr(page, name, value)
        page.save_revision().publish()
