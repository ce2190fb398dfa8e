"""Every staff list applies only what it declares: its filters, the search (q), the ordering
(o) and the page (p). Any other query parameter (a lookup through relations to a password
hash, an unknown field, an ill-typed value) is left out with a message: never applied as a
lookup, never a 500.

The lists are found in the admin's URLs, so a new one is covered without being named here.
"""

import html
import re
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ForeignObjectRel

from cms.staff_groups import ENFANCE
from portal_features.models import ChangeRequest
from tests.admin.screens import build_commune, staff_in, staff_model_admins
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JUNK_VALUES = ["x", "²", "\x00", "9" * 30]


def password_path(model, max_depth=6) -> str | None:
    """The shortest lookup from `model` to a user's password hash, across relations."""
    user_model = get_user_model()
    queue, seen = deque([(model, [])]), {model}
    while queue:
        current, path = queue.popleft()
        if current is user_model:
            return "__".join([*path, "password"])
        if len(path) >= max_depth:
            continue
        for field in current._meta.get_fields():
            if not field.is_relation or field.related_model is None:
                continue
            if isinstance(field, ForeignObjectRel) and field.hidden:
                continue
            if field.related_model not in seen:
                seen.add(field.related_model)
                queue.append((field.related_model, [*path, field.name]))
    return None


def listed(response) -> list:
    """The ids of the items on the list's page, whatever their order."""
    assert response.status_code == 200
    return sorted(obj.pk for obj in response.context["object_list"])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE)


@pytest.fixture
def commune(home_page, enfance_user):
    return build_commune(home_page, enfance_user)


@pytest.fixture(params=["enfance", "superuser"])
def staff_client(request, client, commune, enfance_user):
    user = enfance_user if request.param == "enfance" else UserFactory(is_superuser=True)
    client.force_login(user)
    return client


def test_a_lookup_to_a_password_hash_is_never_applied(staff_client, commune):
    parent_hash = commune.parent.password
    leaks = []
    for model_admin in staff_model_admins():
        index = model_admin.url_helper.index_url
        everything = listed(staff_client.get(index))
        assert everything, f"{index} lists nothing: give it an item in build_commune"
        # A model no relation leads from to a user gets the lookup all the same.
        path = password_path(model_admin.model) or "password"
        for prefix in (parent_hash[:12], "zzz"):
            response = staff_client.get(index, {f"{path}__startswith": prefix}, follow=True)
            if listed(response) != everything:
                leaks.append((index, path, prefix))

    assert leaks == []


def test_the_ignored_parameter_is_named_to_staff(staff_client):
    ChangeRequest.objects.update(decided_by=UserFactory(is_superuser=True))
    index = "/admin/portal_features/changerequest/"
    lookup = "decided_by__is_superuser"

    response = staff_client.get(index, {lookup: "1", "status__exact": "pending"}, follow=True)

    assert listed(response) == listed(staff_client.get(index, {"status__exact": "pending"}))
    assert messages_of(response) == [
        f"Ignoré : {lookup} (ce n'est pas un filtre de cette liste, ou sa valeur ne convient pas)."
    ]
    # Staff land on the list without it: none of the page's links carries it.
    assert response.redirect_chain == [(f"{index}?status__exact=pending", 302)]
    assert f"{lookup}=" not in response.content.decode()


def test_declared_filters_search_ordering_and_page_still_apply(staff_client, commune):
    index = "/admin/portal_features/family/"
    family = commune.world.family

    searched = staff_client.get(index, {"q": family.number, "o": "0", "p": "1"})
    archived = staff_client.get(index, {"status__exact": "archived"})

    assert listed(searched) == [family.pk]
    assert messages_of(searched) == []
    assert listed(archived) == []


def test_every_link_from_a_list_to_a_list_is_applied(client, commune, enfance_user):
    """Filters, ordering, pages and the screens' own buttons (a school year's periods, an
    activity's opening days…) only ever link to what the target list declares."""
    client.force_login(enfance_user)
    indexes = {model_admin.url_helper.index_url for model_admin in staff_model_admins()}
    links = set()
    for index in indexes:
        for href in re.findall(r'href="([^"]*)"', client.get(index).content.decode()):
            href = html.unescape(href)
            path, _, query = (index + href if href.startswith("?") else href).partition("?")
            if path in indexes and query:
                links.add(f"{path}?{query}")

    ignored = [link for link in sorted(links) if client.get(link).status_code != 200]

    assert len(links) > len(indexes)
    assert ignored == []


def test_unknown_or_ill_typed_parameters_never_fail_a_list(staff_client):
    failures = []
    for model_admin in staff_model_admins():
        index = model_admin.url_helper.index_url
        first = staff_client.get(index)
        everything = listed(first)
        relation = next(
            (f.name for f in model_admin.model._meta.concrete_fields if f.is_relation), "id"
        )
        for params in (
            {"nosuchfield": "1"},
            {relation: "'"},
            {f"{relation}__in": "1,x"},
            {"q": "\x00"},
            {"o": "zz.-99"},
            {"p": "zz"},
        ):
            response = staff_client.get(index, params, follow=True)
            if response.status_code != 200 or listed(response) != everything:
                failures.append((index, params, response.status_code))
        # Every declared filter's parameters at once, with a value they cannot use.
        names = [
            name
            for spec in first.context["view"].filter_specs
            for name in spec.expected_parameters()
        ]
        for value in JUNK_VALUES:
            response = staff_client.get(index, dict.fromkeys(names, value), follow=True)
            if response.status_code != 200:
                failures.append((index, value, response.status_code))

    assert failures == []
