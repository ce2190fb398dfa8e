"""« Inscriptions et réservations »: the hub, each child's file and activity lines, and what
it costs in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    FamilyFactory,
    GuardianFactory,
)

from .conftest import R, new_child, next_year, open_activity, register, url

pytestmark = pytest.mark.django_db


# --- The hub -------------------------------------------------------------------------


def test_the_hub_shows_each_childs_file_and_activity_lines(client, portal, world, parent):
    year = world.activity.school_year
    coming = next_year()
    lea = new_child(world)
    refused = register(
        world,
        open_activity(world, name="CLV Été"),
        status=R.REFUSED,
        refusal_reason="Plus de place en juillet",
    )

    response = client.get(url(portal, "home"))

    assert response.status_code == 200
    content = response.content.decode()
    hub = response.context["hub"]
    assert hub.school_years == [year, coming]
    lines = {item.child: item for item in hub.children}
    # The registered child: validated file this year, nothing sent for the next one.
    assert [line.status for line in lines[world.child].enrolments] == [R.ACCEPTED, ""]
    assert lines[world.child].registrations[0].activity == world.activity
    assert refused in lines[world.child].registrations
    # The new child: nothing sent, a button for each year.
    assert [line.can_submit for line in lines[lea].enrolments] == [True, True]
    for child, school_year in [(lea, year), (lea, coming), (world.child, coming)]:
        assert url(
            portal, "enrolment_submit", child_id=child.pk, school_year_id=school_year.pk
        ) in (content)
    assert (
        url(portal, "enrolment_submit", child_id=world.child.pk, school_year_id=year.pk)
        not in content
    )
    # Statuses in words, the refusal's reason, the way to the other screens.
    assert str(R.ACCEPTED.label) in content
    assert "Plus de place en juillet" in content
    assert world.activity.name in content
    for name in ["booking_start", "calendar", "orders", "registration_new", "registrations"]:
        assert f'href="{url(portal, name)}"' in content


def test_the_hub_needs_a_family(client, portal, world):
    response = client.get(url(portal, "home"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def _hub_queries(client, portal, user) -> int:
    client.force_login(user)
    assert client.get(url(portal, "home")).status_code == 200  # fills the site's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(portal, "home")).status_code == 200
    return len(queries)


def test_the_hub_costs_the_same_queries_for_one_child_or_six(
    client, portal, world, django_assert_max_num_queries
):
    next_year()
    _, small, _ = world.add_family(children=1)
    _, large, _ = world.add_family(children=6)
    one_child = _hub_queries(client, portal, small.user)
    client.force_login(large.user)

    with django_assert_max_num_queries(one_child):
        response = client.get(url(portal, "home"))

    assert response.status_code == 200
    assert len(response.context["hub"].children) == 6
    assert all(item.registrations for item in response.context["hub"].children)


def test_a_family_without_children_sees_an_empty_hub(client, portal, world):
    client.force_login(GuardianFactory(family=FamilyFactory()).user)

    response = client.get(url(portal, "home"))

    assert response.status_code == 200
    assert response.context["hub"].children == []
