"""The site itself: its address, the home page and the commune's identity (site settings)."""

from wagtail.models import Site

from cms.models import CommuneSettings

from . import commune
from .artwork import logo_png, poster_jpeg
from .context import Demo
from .files import ensure_image

BLUE = (20, 70, 140)

PORTAL_TILES = [
    ("Mon dossier famille", "Responsables, enfants, fiche sanitaire et pièces.", "family"),
    ("Inscriptions et réservations", "Accueil de loisirs, périscolaire, cantine.", "calendar"),
    ("Factures et paiements", "Vos factures, leur détail, votre relevé de compte.", "invoice"),
    ("Messagerie", "Écrire au service enfance-jeunesse.", "message"),
]


def start_demo() -> Demo:
    """The default site, served on localhost, with the home page the cms migration created."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("No default site: run `manage.py migrate` first.")
    if (site.hostname, site.port) != ("localhost", 80):
        site.hostname, site.port = "localhost", 80
        site.save()
    return Demo(site=site, home=site.root_page.specific)


def ensure_home_page(demo: Demo) -> None:
    home = demo.home
    # Seeded once: a home page with its banner has been built (or edited) already.
    if home.hero_image_id:
        return
    home.hero_image = ensure_image(
        title=f"Bannière – {commune.SHORT_NAME}",
        filename="banniere-accueil.jpg",
        # Decorative (shown with an empty alt), so without text: the intro says it all.
        render=lambda: poster_jpeg("", "", BLUE, (40, 170, 150)),
    )
    home.intro = (
        f"<p>Bienvenue sur le site de la commune de {commune.SHORT_NAME}. Retrouvez "
        "l'actualité municipale, les informations pratiques et, sur le <b>Portail "
        "Famille</b>, toutes les démarches pour l'accueil de vos enfants.</p>"
    )
    home.search_description = (
        f"Site officiel de {commune.SHORT_NAME} : actualités, démarches et Portail Famille."
    )
    home.portal_tiles = [
        (
            "tile",
            {
                "title": title,
                "description": description,
                "page": None,
                "url": commune.PORTAL_URL,
                "icon": icon,
            },
        )
        for title, description, icon in PORTAL_TILES
    ]
    home.quick_links_title = "Documents utiles"
    home.quick_links = [
        ("document", {"document": demo.documents[key], "title": ""})
        for key in ("leisure_tariffs", "leisure_rules", "menus")
    ] + [("page", {"page": demo.pages["practical"], "title": ""})]
    home.save_revision().publish()


def ensure_commune_settings(demo: Demo) -> None:
    settings = CommuneSettings.for_site(demo.site)
    wanted = {
        "name": commune.NAME,
        "logo": ensure_image(
            title=f"Logo – {commune.SHORT_NAME}",
            filename="logo-commune.png",
            render=lambda: logo_png("MsL", BLUE),
        ),
        "address": commune.ADDRESS,
        "phone": commune.PHONE,
        "email": commune.EMAIL,
        "opening_hours": commune.OPENING_HOURS,
        "contact_page": demo.pages["contact"].page_ptr,
        "legal_notice_page": demo.pages["legal_notice"].page_ptr,
        "privacy_page": demo.pages["privacy"].page_ptr,
        "schools": "École Jules-Ferry\nÉcole maternelle Les Tilleuls",
    }
    changed = [name for name, value in wanted.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, wanted[name])
    if changed:
        settings.save()
