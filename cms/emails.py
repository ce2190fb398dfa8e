"""The commune's name in every e-mail of the site, whichever app sends it."""

from wagtail.models import Site

from .models import CommuneSettings
from .page_cache import cached_until_purge


def commune_name() -> str:
    """The name of the commune of the default site (e-mails are often sent outside a
    request), read once until the purge: saving a site or its settings purges."""

    def read() -> str:
        site = Site.objects.filter(is_default_site=True).first()
        return CommuneSettings.for_site(site).name if site else ""

    return cached_until_purge("commune-name", read)


def commune_email_context() -> dict:
    return {"site_name": commune_name()}
