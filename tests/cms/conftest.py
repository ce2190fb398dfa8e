import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from cms.models import CommuneSettings
from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from tests.factories import UserFactory


@pytest.fixture
def commune_settings(home_page) -> CommuneSettings:
    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "Saint-Exemple-sur-Loire"
    settings.address = "1 place de la Mairie\n44000 Saint-Exemple"
    settings.phone = "02 40 00 00 00"
    settings.email = "mairie@saint-exemple.fr"
    settings.opening_hours = "Du lundi au vendredi, 8 h 30 – 12 h"
    settings.save()
    return settings


@pytest.fixture
def staff_groups(db) -> tuple[Group, Group]:
    return ensure_staff_groups()


def _staff_user(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def communication_user(staff_groups):
    return _staff_user(COMMUNICATION)


@pytest.fixture
def enfance_user(staff_groups):
    return _staff_user(ENFANCE)
