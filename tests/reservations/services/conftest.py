import pytest

from tests import factories


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True)
