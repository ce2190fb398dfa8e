"""Staff screens of invoicing: an Enfance staff member logged in, the régie of
tests/invoicing/conftest.py, and its billable days given by the in-test provider (the
screens call the same services as the cron, with the reservations' sources replaced)."""

import pytest

from cms.staff_groups import COMMUNICATION, ENFANCE
from tests.admin.screens import staff_in
from tests.invoicing.conftest import NOV_WEDNESDAYS, make_billing


@pytest.fixture
def billing(db, monkeypatch):
    billing = make_billing()
    monkeypatch.setattr("invoicing.services.runs.default_sources", lambda: billing.provider)
    return billing


@pytest.fixture
def enfance_user(db):
    return staff_in(ENFANCE, first_name="Sophie", last_name="Marchand")


@pytest.fixture
def communication_user(db):
    return staff_in(COMMUNICATION)


@pytest.fixture
def staff_client(client, enfance_user):
    client.force_login(enfance_user)
    return client


@pytest.fixture
def booked(billing):
    """Two families, the first with two children: November's Wednesdays booked."""
    first, (anna, leo) = billing.add_family(children=2, name="Arnaud")
    second, (zoe,) = billing.add_family(name="Bernard")
    for child in (anna, leo):
        billing.book_days(first, child, NOV_WEDNESDAYS)
    billing.book_days(second, zoe, NOV_WEDNESDAYS[:2])
    return billing
