import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def parent(db):
    return UserFactory(email="claire.dupont@example.fr", first_name="Claire", last_name="Dupont")


@pytest.fixture
def log_in(client):
    """Post a login form as a browser at `ip` would; returns the response."""

    def post(email, password=PASSWORD, *, ip="127.0.0.1", url=None, **fields):
        return client.post(
            url or reverse("accounts:login"),
            {"username": email, "password": password, **fields},
            REMOTE_ADDR=ip,
        )

    return post
