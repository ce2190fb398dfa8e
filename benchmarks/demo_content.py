"""Fallback content for the benchmark when `manage.py seed_demo` is not available.

Builds what a small commune's site holds: a news index with 10 news with images (the home
page lists the latest 3), a documents library of 12 documents in 4 categories and 4 menu
pages. Run with DJANGO_SETTINGS_MODULE set: `python benchmarks/demo_content.py`.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def build() -> None:
    from wagtail.models import Site

    from tests.factories import (
        DocumentCategoryFactory,
        DocumentsLibraryPageFactory,
        ImageFactory,
        LibraryDocumentFactory,
        NewsIndexPageFactory,
        NewsPageFactory,
        StandardPageFactory,
    )

    home = Site.objects.get(is_default_site=True).root_page.specific
    news_index = NewsIndexPageFactory(parent=home, show_in_menus=True)
    for number in range(10):
        NewsPageFactory(
            parent=news_index,
            title=f"Actualité de démonstration {number + 1}",
            image=ImageFactory(),
            image_alt="Photo d'illustration",
        )
    library = DocumentsLibraryPageFactory(parent=home, show_in_menus=True)
    categories = [
        DocumentCategoryFactory(name=name, slug=slug, sort_order=order)
        for order, (name, slug) in enumerate(
            [
                ("Tarifs", "tarifs"),
                ("Règlements de fonctionnement", "reglements"),
                ("Inscriptions", "inscriptions"),
                ("Menus", "menus"),
            ]
        )
    ]
    for number in range(12):
        LibraryDocumentFactory(category=categories[number % 4], title=f"Document {number + 1}")
    for title in ("Infos pratiques", "Enfance-Jeunesse"):
        StandardPageFactory(parent=home, title=title, show_in_menus=True)
    print(f"demo content: home page {home.url_path}, library {library.url_path}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    build()
