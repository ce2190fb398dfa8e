"""The demo's logins: the administrator, staff of both groups and the families' parents
(whose logins come with their families' account requests, `demo/families.py`)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups

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
    DemoAccount(
        email="enfance@example.fr",
        first_name="Sandrine",
        last_name="Lambert",
        purpose=_("Enfance staff: account requests, families' files, messages"),
        is_staff=True,
        groups=(ENFANCE,),
    ),
    DemoAccount(
        email="communication@example.fr",
        first_name="Olivier",
        last_name="Girard",
        purpose=_("Communication staff: pages, news and documents of the public site"),
        is_staff=True,
        groups=(COMMUNICATION,),
    ),
    DemoAccount(
        email="claire.dupont@example.fr",
        first_name="Claire",
        last_name="Dupont",
        purpose=_("parent: DUPONT family, three children, one with a PAI; Marc not invited yet"),
    ),
    DemoAccount(
        email="paul.martin@example.fr",
        first_name="Paul",
        last_name="Martin",
        purpose=_("parent: MARTIN family, one child"),
    ),
    DemoAccount(
        email="julie.bernard@example.fr",
        first_name="Julie",
        last_name="Bernard",
        purpose=_(
            "separated parent: BERNARD family, proof of address missing; "
            "Emma also lives in the ROUSSEL family"
        ),
    ),
    DemoAccount(
        email="thomas.roussel@example.fr",
        first_name="Thomas",
        last_name="Roussel",
        purpose=_("separated parent: ROUSSEL family, Emma's second household"),
    ),
]


def ensure_accounts(demo) -> None:
    if any(account.groups for account in DEMO_ACCOUNTS):
        ensure_staff_groups()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        if not account.is_staff:
            # A parent's login comes with the family's account request, once staff accept it
            # (demo/families.py); a later run only restores the demo password.
            user = User.objects.filter(email=account.email).first()
            if user is not None and not user.check_password(account.password):
                user.set_password(account.password)
                user.save(update_fields=["password"])
            continue
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
