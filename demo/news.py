"""Seven news items of the past weeks, each with its categories and a generated picture."""

import datetime

from django.utils import timezone
from wagtail.rich_text import RichText

from news.models import NewsCategory, NewsPage

from .artwork import poster_jpeg
from .files import ensure_image

CATEGORIES = {
    "enfance": "Enfance",
    "vie-municipale": "Vie municipale",
    "restauration-scolaire": "Restauration scolaire",
}
# Colours of the pictures, one pair per category.
COLOURS = {
    "enfance": ((20, 90, 170), (40, 170, 150)),
    "vie-municipale": ((90, 50, 140), (210, 90, 110)),
    "restauration-scolaire": ((200, 90, 20), (230, 180, 40)),
}

NEWS = [
    {
        "slug": "portail-famille-demarches-en-ligne",
        "title": "Le Portail Famille : toutes vos démarches en ligne",
        "days_ago": 2,
        "category": "vie-municipale",
        "more_info": "childhood",
        "intro": (
            "Dossier famille, inscriptions, réservations et paiement des factures : le "
            "nouveau Portail Famille simplifie la vie des parents."
        ),
        "paragraphs": [
            "Depuis un téléphone ou un ordinateur, les familles mettent à jour leur dossier, "
            "réservent les journées d'accueil de loisirs et les repas de la cantine, puis "
            "paient leurs factures en ligne.",
            "Les agents du service enfance-jeunesse restent disponibles à l'accueil de la "
            "mairie pour accompagner les familles qui le souhaitent.",
        ],
        "alt": "Affiche bleue et violette annonçant le Portail Famille.",
    },
    {
        "slug": "inscriptions-centre-de-loisirs-vacances-de-noel",
        "title": "Inscriptions au centre de loisirs pour les vacances de Noël",
        "days_ago": 5,
        "category": "enfance",
        "more_info": "documents",
        "intro": (
            "Les inscriptions à l'accueil de loisirs pour les vacances de Noël sont ouvertes "
            "sur le Portail Famille jusqu'au 1er décembre."
        ),
        "paragraphs": [
            "Au programme : ateliers de décorations, sortie au cinéma et grand spectacle de "
            "fin d'année préparé par les enfants.",
            "Les places sont limitées : les demandes sont validées par ordre d'arrivée, puis "
            "inscrites sur liste d'attente.",
        ],
        "alt": "Affiche bleue et verte annonçant les inscriptions des vacances de Noël.",
    },
    {
        "slug": "menus-de-la-cantine",
        "title": "Les menus de la cantine du mois sont en ligne",
        "days_ago": 9,
        "category": "restauration-scolaire",
        "more_info": "documents",
        "intro": (
            "Retrouvez les menus de la restauration scolaire, avec un repas végétarien par "
            "semaine et des produits bio et locaux."
        ),
        "paragraphs": [
            "La cuisine centrale prépare chaque jour près de 600 repas pour les écoles et "
            "l'accueil de loisirs.",
            "Les menus de la cantine sont affichés dans chaque école et téléchargeables dans "
            "la rubrique Documents à télécharger.",
        ],
        "alt": "Affiche orange présentant les menus de la cantine.",
    },
    {
        "slug": "fete-de-l-ecole-jules-ferry",
        "title": "Fête de l'école Jules-Ferry : merci aux familles !",
        "days_ago": 16,
        "category": "enfance",
        "more_info": "",
        "intro": (
            "Spectacle, kermesse et goûter partagé : plus de 300 personnes ont participé à la "
            "fête de l'école au parc des Tilleuls."
        ),
        "paragraphs": [
            "Les enfants ont présenté les chants et les danses préparés avec les animateurs "
            "du périscolaire.",
            "Un grand merci aux parents d'élèves bénévoles qui ont tenu les stands.",
        ],
        "alt": "Affiche bleue et verte de la fête de l'école.",
    },
    {
        "slug": "travaux-groupe-scolaire-jules-ferry",
        "title": "Travaux de rénovation au groupe scolaire Jules-Ferry",
        "days_ago": 23,
        "category": "vie-municipale",
        "more_info": "",
        "intro": (
            "Isolation, nouvelles fenêtres et préau agrandi : les travaux se poursuivent "
            "pendant les vacances pour ne pas gêner les cours."
        ),
        "paragraphs": [
            "Le chantier est financé par la commune avec le soutien de l'État et du département.",
            "Pendant les travaux, l'accès à l'école se fait par la rue des Écoles.",
        ],
        "alt": "Affiche violette et rose annonçant les travaux de l'école.",
    },
    {
        "slug": "rentree-scolaire-ce-qui-change",
        "title": "Rentrée scolaire : ce qui change cette année",
        "days_ago": 30,
        "category": "enfance",
        "more_info": "practical",
        "intro": (
            "Nouveaux horaires de l'accueil du soir, tarifs selon le quotient familial et "
            "réservations en ligne : les nouveautés de la rentrée."
        ),
        "paragraphs": [
            "L'accueil périscolaire du soir ferme désormais à 18 h 30 dans toutes les écoles.",
            "Pensez à transmettre votre attestation de quotient familial pour bénéficier du "
            "tarif qui vous correspond.",
        ],
        "alt": "Affiche bleue et verte sur la rentrée scolaire.",
    },
    {
        "slug": "semaine-du-gout-restaurant-scolaire",
        "title": "Semaine du goût au restaurant scolaire",
        "days_ago": 37,
        "category": "restauration-scolaire",
        "more_info": "",
        "intro": (
            "Cinq jours pour découvrir les saveurs d'ici et d'ailleurs à la cantine, avec les "
            "producteurs du marché."
        ),
        "paragraphs": [
            "Chaque jour, un producteur local est venu présenter ses fruits, ses légumes ou "
            "ses fromages aux enfants.",
        ],
        "alt": "Affiche orange et jaune de la semaine du goût.",
    },
]


def ensure_news(demo) -> None:
    index = demo.pages["news"]
    categories = {
        slug: NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in CATEGORIES.items()
    }
    today = timezone.localdate()
    for item in NEWS:
        if index.get_children().filter(slug=item["slug"]).exists():
            continue
        start, end = COLOURS[item["category"]]
        category = categories[item["category"]]
        image = ensure_image(
            title=f"Actualité – {item['title']}",
            filename=f"{item['slug']}.jpg",
            render=lambda item=item, category=category, start=start, end=end: poster_jpeg(
                item["title"], category.name, start, end
            ),
        )
        page = NewsPage(
            title=item["title"],
            slug=item["slug"],
            date=today - datetime.timedelta(days=item["days_ago"]),
            category=category,
            intro=item["intro"],
            image=image,
            image_alt=item["alt"],
            body=[("paragraph", RichText(f"<p>{text}</p>")) for text in item["paragraphs"]],
            more_info_page=demo.pages.get(item["more_info"]),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
