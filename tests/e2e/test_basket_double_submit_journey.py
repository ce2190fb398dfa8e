"""Issue 12, « safe forms », in Chromium against the live site: the basket's « Valider »
sent twice makes one order. Once as two submissions at the same moment of the same form
(two requests in flight together), once as a double click on a page whose button no longer
disables itself (static/js/forms.js bypassed): the server alone must hold.

PostgreSQL only: the test suite's SQLite is in memory, one connection the live server's
threads share, so two requests at once interleave their transactions on it (a harness
artefact, not the demo's file: tests/cms/site/test_sqlite_locks.py covers that). Run with
DATABASE_URL=postgres://… as README says for the PostgreSQL tests.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from portal_features.portal.urls import portal_path
from reservations.eligibility import booking_window_reason
from reservations.models import Unit
from reservations.opening import commune_holiday_check
from reservations.services import basket as basket_services

from .reservation_steps import (
    WEEKDAYS,
    enrol,
    family_with_children,
    local_today,
    open_activity,
    parent_logs_in,
    receipts_to,
)
from .test_family_journey import PHONE, french, new_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="requests at once need PostgreSQL here"
    ),
]

EMAIL = "sarah.petit@example.fr"
ORDER_HEADING = re.compile(r"\d{4}-\d{5}$")

# Both submissions of the same form (same submission key) leave together.
SUBMIT_TWICE_AT_ONCE = """async () => {
  const form = document.querySelector('form[action$="basket/submit/"]');
  const send = () => fetch(form.action, { method: "POST", body: new FormData(form) });
  const responses = await Promise.all([send(), send()]);
  return responses.map((r) => ({ status: r.status, url: r.url }));
}"""

# A listener that runs before forms.js's and hides the submit from it: nothing disables the
# button any more, as in a browser without JavaScript or before the script has loaded.
UNGUARD_FORMS = """() => window.addEventListener(
  "submit", (event) => event.stopImmediatePropagation(), true)"""


# Two clicks 30 ms apart, as a hurried thumb makes them: the first request is in flight when
# the second leaves (the browser then forgets the first page it was waiting for).
DOUBLE_CLICK = """(label) => {
  const button = Array.from(document.querySelectorAll('form[action$="basket/submit/"] button'))
    .find((b) => b.textContent.trim().endsWith(label));
  button.click();
  window.setTimeout(() => button.click(), 30);
}"""


@pytest.fixture
def basket(portal_site):
    """Lina registered, one bookable day already in her family's basket."""
    today = local_today()
    activity, group, days = open_activity(today=today, name="ALSH Mercredis", weekdays=WEEKDAYS)
    family, (lina,) = family_with_children(
        email=EMAIL, name="PETIT", children=[("Lina", datetime.date(2018, 1, 15))]
    )
    enrol(family, lina, activity, group)
    now, is_holiday = timezone.now(), commune_holiday_check()
    day = next(d for d in days if booking_window_reason(activity, d, now, is_holiday) is None)
    added, refused = basket_services.basket_add_bookings(
        family=family,
        child_id=lina.pk,
        unit_id=Unit.objects.get(activity=activity).pk,
        days=[day],
        user=None,
        now=now,
    )
    assert added and not refused
    return SimpleNamespace(
        site=portal_site,
        basket_url=portal_site.portal_url + portal_path("reservations:basket"),
        orders_url=portal_site.portal_url + portal_path("reservations:orders"),
    )


def one_order(page, orders_url: str) -> str:
    """« Mes commandes » lists one order: its number."""
    page.goto(orders_url)
    rows = page.locator(".order-list > li")
    expect(rows).to_have_count(1)
    return re.search(r"\d{4}-\d{5}", rows.first.inner_text()).group()


def test_two_submissions_at_once_make_one_order_and_both_see_its_receipt(basket, chromium):
    parent = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    parent_logs_in(parent, basket.site, EMAIL)
    parent.goto(basket.basket_url)

    responses = parent.evaluate(SUBMIT_TWICE_AT_ONCE)

    # Both land on the same receipt (redirects followed), neither on an error page.
    assert [r["status"] for r in responses] == [200, 200], responses
    assert responses[0]["url"] == responses[1]["url"], responses
    assert re.search(r"/orders/\d+/$", responses[0]["url"]), responses
    parent.goto(responses[0]["url"])
    expect(parent.get_by_role("heading", level=1)).to_have_text(ORDER_HEADING)
    number = one_order(parent, basket.orders_url)
    assert len(receipts_to(EMAIL, number)) == 1
    parent.context.close()


def test_a_double_click_without_the_buttons_guard_makes_one_order(basket, chromium):
    parent = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    parent_logs_in(parent, basket.site, EMAIL)
    parent.goto(basket.basket_url)
    posts = []
    parent.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and request.url.endswith("basket/submit/")
            else None
        ),
    )
    parent.evaluate(UNGUARD_FORMS)

    parent.evaluate(DOUBLE_CLICK, french("Validate"))

    expect(parent.get_by_role("heading", level=1)).to_have_text(ORDER_HEADING)
    assert len(posts) == 2  # the guard is really gone: the browser sent both
    one_order(parent, basket.orders_url)
    parent.context.close()
