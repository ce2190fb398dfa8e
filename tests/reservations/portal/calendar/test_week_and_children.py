"""« Mon calendrier » a week at a time and one child at a time (`?week=`, `?child=`), the
legend before the grid and the past days folded; the same queries whatever the family's
size."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.portal.calendar_grid import parse_week, week_param
from reservations.selectors.calendar import CellState

from ...conftest import WEDNESDAY
from .conftest import DEC_2, book, month_cells, url

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def test_week_parameters_read_and_written_as_the_week_input_does():
    assert parse_week("2026-W49", today=TODAY) == datetime.date(2026, 11, 30)
    assert week_param(datetime.date(2026, 12, 6)) == "2026-W49"
    assert week_param(datetime.date(2027, 1, 1)) == "2026-W53"  # ISO: Friday of week 53
    for value in ("2026-W54", "2026-49", "9999-W01", "", None, "semaine"):
        assert parse_week(value, today=TODAY) is None


def test_a_week_shows_its_seven_days_across_two_months(logged_in, portal, world):
    book(world, world.family, world.child, world.guardian, [DEC_2])
    response = logged_in.get(url(portal, "calendar"), {"week": "2026-W49"})
    assert response.status_code == 200
    assert response.context["view"] == "week"
    assert response.context["grid"].days[0] == datetime.date(2026, 11, 30)
    states = [state for state, _body in month_cells(response)]
    assert len(states) == 7
    assert states[2] == CellState.ACCEPTED  # Wednesday 2 December
    content = response.content.decode()
    assert 'href="?week=2026-W48" rel="prev"' in content
    assert 'href="?week=2026-W50" rel="next"' in content


def test_an_unreadable_week_shows_this_week_with_a_message(logged_in, portal, world):
    response = logged_in.get(url(portal, "calendar"), {"week": "2026-W60"}, follow=True)
    assert response.status_code == 200
    assert response.context["grid"].days[0] == TODAY  # Monday 23 November
    assert response.context["view"] == "week"
    assert [str(message) for message in response.context["messages"]] == [
        "Cette semaine ne peut pas être affichée : voici la semaine en cours."
    ]


def test_the_month_links_to_its_weeks_and_keeps_the_child(logged_in, portal, world):
    response = logged_in.get(url(portal, "calendar"), {"month": "2026-12", "child": world.child.pk})
    content = response.content.decode()
    # The first week of December, the month itself and this week: the same child.
    assert f'href="?week=2026-W49&amp;child={world.child.pk}"' in content
    assert f'href="?month=2027-01&amp;child={world.child.pk}" rel="next"' in content


def test_one_child_at_a_time(client, portal, world):
    family, guardian, (lina, emma, noe) = world.add_family(children=3)
    client.force_login(guardian.user)
    everyone = client.get(url(portal, "calendar"), {"month": "2026-12"})
    assert len(month_cells(everyone)) == 3 * 31
    content = everyone.content.decode()
    for child in (lina, emma, noe):
        assert f'href="?month=2026-12&amp;child={child.pk}"' in content

    emma_only = client.get(url(portal, "calendar"), {"month": "2026-12", "child": emma.pk})
    assert len(month_cells(emma_only)) == 31
    assert [month.child for month in emma_only.context["children"]] == [emma]
    assert re.search(
        rf'href="\?month=2026-12&amp;child={emma.pk}" aria-current="page"',
        emma_only.content.decode(),
    )


def test_another_familys_child_or_a_forged_id_is_not_found(logged_in, portal, world):
    _other, _guardian, (other_child,) = world.add_family()
    for value in (other_child.pk, "abc", "99999999999999999999999"):
        response = logged_in.get(url(portal, "calendar"), {"child": value})
        assert response.status_code == 404


def test_the_legend_comes_before_the_grid_and_past_days_are_folded(logged_in, portal, world):
    november = logged_in.get(url(portal, "calendar"), {"month": "2026-11"})
    content = november.content.decode()
    assert content.index('id="legend-heading"') < content.index('class="cal-child"')
    (child_month,) = november.context["children"]
    # Today is Monday 23 November: the Wednesdays before are folded, the 25th is not.
    assert datetime.date(2026, 11, 18) in [line.day for line in child_month.past_lines]
    assert [line.day for line in child_month.day_lines] == [WEDNESDAY]
    folded = content[content.index('<details class="cal-past">') :]
    folded = folded[: folded.index("</details>")]
    assert "mercredi 18 novembre" in folded and "mercredi 25 novembre" not in folded


def _queries(client, user, address, query):
    client.force_login(user)
    assert client.get(address, query).status_code == 200  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address, query).status_code == 200
    return len(queries)


def test_the_week_and_the_filter_cost_the_same_queries_for_one_child_or_five(client, portal, world):
    _small, small_guardian, (alone,) = world.add_family(children=1)
    _large, large_guardian, five = world.add_family(children=5)
    for family, guardian, children in (
        (_small, small_guardian, [alone]),
        (_large, large_guardian, five),
    ):
        for child in children:
            book(world, family, child, guardian, [WEDNESDAY])
    address = url(portal, "calendar")
    for query in ({"week": "2026-W48"}, {"month": "2026-11"}):
        small = _queries(client, small_guardian.user, address, query)
        large = _queries(client, large_guardian.user, address, query)
        assert large == small, query
        small_one = _queries(client, small_guardian.user, address, {**query, "child": alone.pk})
        large_one = _queries(client, large_guardian.user, address, {**query, "child": five[2].pk})
        assert large_one == small_one == small, query
