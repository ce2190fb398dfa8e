"""Start-up checks of the payment settings: the simulator never runs in production unseen."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .payfip_fields import SAISIE_BY_MODE
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
