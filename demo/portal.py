"""The family portal's page, under "Enfance-Jeunesse", and the home page's tiles towards it."""

from portal_features.models import PortalPage

from . import commune

SLUG = "portail-famille"
INTRO = (
    "<p>Le <b>Portail Famille</b> de la commune : votre dossier famille, la fiche sanitaire "
    "de vos enfants, vos pièces justificatives et la messagerie avec le service "
    "enfance-jeunesse, en ligne, depuis un téléphone ou un ordinateur.</p>"
    "<p>Pas encore de compte ? Demandez l'ouverture de votre dossier : le service vous "
    "répond sous quelques jours.</p>"
)


def ensure_portal_page(demo) -> None:
    """Place the portal once (editors may move or edit it afterwards: then it is left alone)."""
    page = PortalPage.objects.descendant_of(demo.site.root_page).first()
    if page is None:
        page = PortalPage(title="Portail Famille", slug=SLUG, intro=INTRO, show_in_menus=True)
        demo.pages["childhood"].add_child(instance=page)
        page.save_revision().publish()
    demo.pages["portal"] = page
    _point_tiles_at(demo.home.specific, page)


def _point_tiles_at(home, page) -> None:
    """Tiles still aimed at the placeholder address now lead to the portal page."""
    blocks = list(home.portal_tiles)
    if not any(block.value["url"] == commune.PORTAL_URL for block in blocks):
        return
    home.portal_tiles = [
        (
            block.block_type,
            {**dict(block.value), "url": "", "page": page}
            if block.value["url"] == commune.PORTAL_URL
            else dict(block.value),
        )
        for block in blocks
    ]
    home.save_revision().publish()
