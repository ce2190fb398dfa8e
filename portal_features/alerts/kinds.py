"""What an alert is about: codes that each app registers in its `AppConfig.ready()`.

A new app adds its kinds without a migration of `portal_features` (the alert stores the code
only): it calls `register_kinds({code: label})` once, and `family_tell` refuses a code
nobody registered. The label (translated) is what staff and exports show.

    # reservations/apps.py
    def ready(self):
        from portal_features.alerts.kinds import register_kinds
        from .choices import AlertKind
        register_kinds(AlertKind)
"""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

_KINDS: dict[str, str] = {}


def register_kinds(kinds: Mapping[str, str] | type[models.TextChoices]) -> None:
    """Register alert kinds, as `{code: label}` or a `TextChoices` class. Registering a code
    twice with another label is a programming error (two apps would share one code)."""
    if isinstance(kinds, type) and issubclass(kinds, models.Choices):
        kinds = dict(kinds.choices)
    for code, label in kinds.items():
        if len(code) > 30:
            raise ValueError(f"Alert kind {code!r} is longer than 30 characters.")
        known = _KINDS.get(code)
        if known is not None and str(known) != str(label):
            raise ValueError(f"Alert kind {code!r} is already registered as {known!r}.")
        _KINDS[code] = label


def registered_kinds() -> dict[str, str]:
    """Every registered kind, `{code: label}`."""
    return dict(_KINDS)


def is_registered(code: str) -> bool:
    return code in _KINDS


def kind_label(code: str) -> str:
    """The kind's label; the code itself for a kind no app registers any more."""
    return _KINDS.get(code, code)


class AlertKind(models.TextChoices):
    """The kinds of the portal's own features (registered by `portal_features.apps`).
    `request_accepted`/`request_refused` are shared: any staff decision on a request."""

    ACCOUNT_ACCEPTED = "account_accepted", _("Account accepted")
    REQUEST_ACCEPTED = "request_accepted", _("Request accepted")
    REQUEST_REFUSED = "request_refused", _("Request refused")
    DOCUMENT_VALIDATED = "document_validated", _("Document validated")
    DOCUMENT_REFUSED = "document_refused", _("Document refused")
    DOCUMENT_EXPIRING = "document_expiring", _("Document expiring")
    NEW_MESSAGE = "new_message", _("New message")
    DATA_EXPORT_READY = "data_export_ready", _("Data export ready")
