"""The commune's name in every e-mail of the site, whichever app sends it."""

from wagtail.models import Site

from .models import CommuneSettings


def commune_name() -> str:
    """The name of the commune of the default site (e-mails are often sent outside a request)."""
    site = Site.objects.filter(is_default_site=True).first()
    return CommuneSettings.for_site(site).name if site else ""


def commune_email_context() -> dict:
    return {"site_name": commune_name()}
