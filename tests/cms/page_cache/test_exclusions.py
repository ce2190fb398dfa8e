"""Pages that belong to one visitor never come from, nor go into, the shared page cache."""

import pytest

from cms.page_cache import CACHED_HEADER
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_a_pending_flash_message_bypasses_the_cache(client, home_page):
    page = StandardPageFactory(parent=home_page)
    client.get(page.url)  # creates the site settings, which purges the cache once
    client.get(page.url)
    assert client.get(page.url)[CACHED_HEADER] == "hit"

    client.cookies["messages"] = "pending"

    assert CACHED_HEADER not in client.get(page.url)


def test_account_pages_are_never_cached(client):
    client.get("/account/login/")

    assert CACHED_HEADER not in client.get("/account/login/")


def test_the_logout_message_is_shown_on_the_next_page(client, home_page, django_user_model):
    user = django_user_model.objects.create_user("parent@example.fr", "Demo-Portail-2026")
    client.get(home_page.url)  # the anonymous home page is now in the cache
    client.force_login(user)

    response = client.post("/account/logout/", follow=True)

    assert response.status_code == 200
    assert 'class="messages' in response.content.decode()
