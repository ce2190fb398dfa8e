"""Start-up checks of the payment settings: the simulator never runs in production unseen,
and a site deployed without its provider's identifiers is told before a family pays."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .payfip_fields import NUMCLI_RE, SAISIE_BY_MODE
from .providers.systempay import MODES as SYSTEMPAY_MODES


@register(Tags.security, deploy=False)
def check_payment_settings(app_configs=None, **kwargs):
    errors = []
    if (
        settings.PAYMENT_SIMULATOR_ENABLED
        and not settings.DEBUG
        and not settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION
    ):
        errors.append(
            Error(
                "The payment simulator is enabled while DEBUG is off: families could "
                "« pay » with no money moving.",
                hint="Unset PAYMENT_SIMULATOR_ENABLED, or, for a demonstration site only, "
                "set PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION=True as well.",
                id="invoicing.E001",
            )
        )
    if settings.PAYFIP_MODE not in SAISIE_BY_MODE:
        errors.append(
            Error(
                f"PAYFIP_MODE is {settings.PAYFIP_MODE!r}.",
                hint="Use test, activation or production.",
                id="invoicing.E002",
            )
        )
    if settings.SYSTEMPAY_MODE not in SYSTEMPAY_MODES:
        errors.append(
            Error(
                f"SYSTEMPAY_MODE is {settings.SYSTEMPAY_MODE!r}.",
                hint="Use TEST or PRODUCTION.",
                id="invoicing.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_payment_provider_identifiers(app_configs=None, **kwargs):
    """`check --deploy`: the provider families pay through has its identifiers, otherwise
    every online payment fails at the provider's door."""
    provider = settings.PAYMENT_PROVIDER
    if provider == "payfip" and not NUMCLI_RE.match(settings.PAYFIP_NUMCLI or ""):
        return [
            Warning(
                "PAYMENT_PROVIDER is payfip but PAYFIP_NUMCLI is not a 6-digit client number: "
                "online payments will fail.",
                hint="Set PAYFIP_NUMCLI to the régie's PayFiP client number (DGFiP).",
                id="invoicing.W001",
            )
        ]
    if provider in ("systempay", "payzen") and not (
        settings.SYSTEMPAY_SITE_ID and settings.SYSTEMPAY_KEY
    ):
        return [
            Warning(
                f"PAYMENT_PROVIDER is {provider} but SYSTEMPAY_SITE_ID or SYSTEMPAY_KEY is "
                "empty: online payments will fail.",
                hint="Set the shop's id and its key for SYSTEMPAY_MODE, from the back office.",
                id="invoicing.W002",
            )
        ]
    return []
