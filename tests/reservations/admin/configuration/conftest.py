"""Enfance staff logged in, for the screens « Activités et calendrier »."""

import pytest

from cms.staff_groups import ENFANCE
from tests.portal_features.signup.test_admin import staff_in


@pytest.fixture
def enfance(client):
    client.force_login(staff_in(ENFANCE))
    return client
