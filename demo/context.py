"""What the demo steps share: the site being built and the objects earlier steps made."""

from dataclasses import dataclass, field

from wagtail.models import Page, Site


@dataclass
class Demo:
    site: Site
    home: Page
    # Filled by the steps, keyed by short names ("news", "contact", "tariffs", …).
    pages: dict[str, Page] = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
