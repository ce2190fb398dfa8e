"""The demo's logins; later parts of the portal add their families and staff here."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.staff_groups import ensure_staff_groups

PASSWORD = "Demo-Portail-2026"  # noqa: S105 (a published demo password)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    purpose: str | Promise
    password: str = PASSWORD
    is_superuser: bool = False
    is_staff: bool = False
    groups: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount(
        email="admin@example.fr",
        first_name="Alex",
        last_name="Administrateur",
        purpose=_("administrator: every screen of the admin"),
        is_superuser=True,
        is_staff=True,
    ),
]


def ensure_accounts(demo) -> None:
    if any(account.groups for account in DEMO_ACCOUNTS):
        ensure_staff_groups()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_superuser": account.is_superuser,
                "is_staff": account.is_staff,
            },
        )
        # Also restores a demo password someone changed, without touching a correct one.
        if created or not user.check_password(account.password):
            user.set_password(account.password)
            user.save(update_fields=["password"])
        if account.groups:
            user.groups.add(*Group.objects.filter(name__in=account.groups))
