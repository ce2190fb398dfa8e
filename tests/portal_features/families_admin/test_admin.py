"""Staff screens « Familles »: search, the whole file with its history, direct edits recorded."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from portal_features.families_admin.services import family_view_record
from portal_features.models import (
    AuthorizedPerson,
    Consent,
    ConsentType,
    FamilyEvent,
    HealthRecord,
    Vaccination,
)
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "portal_features_family_modeladmin_index"


def url(action, obj, model="family"):
    return reverse(f"portal_features_{model}_modeladmin_{action}", args=[obj.pk])


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def staff_in(group_name, **fields):
    ensure_staff_groups()
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE, first_name="Agnès", last_name="Accueil")


@pytest.fixture
def dupont():
    family = FamilyFactory(name="DUPONT", number="202600042", city="Montrivel")
    GuardianFactory(family=family, first_name="Claire", email="claire.d@example.fr")
    ChildFactory(family=family, first_name="Léonie")
    return family


@pytest.fixture
def bernard():
    family = FamilyFactory(name="BERNARD", number="202600077")
    GuardianFactory(family=family, first_name="Paul", last_name="BERNARD", email="pb@example.fr")
    ChildFactory(family=family, first_name="Hugo", last_name="BERNARD")
    return family


@pytest.mark.parametrize("term", ["202600042", "dupont", "claire.d@example", "Léonie", "claire"])
def test_search_finds_the_family_by_each_criterion_and_not_the_others(
    client, enfance_user, dupont, bernard, term
):
    client.force_login(enfance_user)

    html = client.get(reverse(INDEX), {"q": term}).content.decode()

    assert "202600042" in html
    assert "202600077" not in html


def test_search_words_are_combined_and_a_family_is_listed_once(
    client, enfance_user, dupont, bernard
):
    ChildFactory(family=dupont, first_name="Léonard")
    client.force_login(enfance_user)

    response = client.get(reverse(INDEX), {"q": "Léon dupont"})

    assert list(response.context["object_list"]) == [dupont]


def test_the_list_shows_children_count_and_guardians_emails(client, enfance_user, dupont):
    ChildFactory(family=dupont, first_name="Jules")
    client.force_login(enfance_user)

    response = client.get(reverse(INDEX))

    html = response.content.decode()
    assert response.status_code == 200
    assert "claire.d@example.fr" in html and "Montrivel" in html
    assert response.context["object_list"][0].children_total == 2


def test_the_list_filters_by_status(client, enfance_user, dupont, bernard):
    bernard.status = "archived"
    bernard.save()
    client.force_login(enfance_user)

    html = client.get(reverse(INDEX), {"status__exact": "archived"}).content.decode()

    assert "202600077" in html and "202600042" not in html


def test_communication_staff_are_refused(client, dupont):
    client.force_login(staff_in(COMMUNICATION))

    assert refused(client.get(reverse(INDEX)))
    assert refused(client.get(url("inspect", dupont)))
    assert refused(client.get(url("edit", dupont)))
    assert not FamilyEvent.objects.exists()


def test_inspect_shows_the_whole_file(client, enfance_user, dupont):
    child = dupont.children.get()
    record = HealthRecord.objects.create(child=child, allergies="Kiwi")
    Vaccination.objects.create(health_record=record, vaccine="ROR", date=datetime.date(2019, 3, 1))
    AuthorizedPerson.objects.create(
        family=dupont, child=child, last_name="DUPONT", first_name="Mamie", phone="0612345678"
    )
    Consent.objects.create(
        child=child, consent_type=ConsentType.objects.create(name="Sorties"), granted=True
    )
    client.force_login(enfance_user)

    response = client.get(url("inspect", dupont))

    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("Claire", "Léonie", "Kiwi", "ROR", "Mamie DUPONT", "Sorties"):
        assert expected in html
    assert url("edit", child, "child") in html
    assert url("edit", dupont.guardians.get(), "guardian") in html


def test_opening_the_file_is_recorded_once_per_ten_minutes(client, enfance_user, dupont):
    client.force_login(enfance_user)

    client.get(url("inspect", dupont))
    client.get(url("inspect", dupont))

    event = FamilyEvent.objects.get(family=dupont)
    assert (event.action, event.actor) == (FamilyEvent.Action.VIEWED, enfance_user)
    # Another staff member's visit is recorded too; the same one's, after 10 minutes, again.
    other = staff_in(ENFANCE)
    assert family_view_record(family=dupont, actor=other) is not None
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert family_view_record(family=dupont, actor=enfance_user, now=later) is not None
    assert FamilyEvent.objects.filter(family=dupont, action="viewed").count() == 3


def test_a_staff_edit_applies_directly_and_records_old_and_new(client, enfance_user, dupont):
    client.force_login(enfance_user)
    form = client.get(url("edit", dupont)).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data.update(city="Orléans", postal_code="45000", is_resident="")

    response = client.post(url("edit", dupont), data)

    assert response.status_code == 302, response.context["form"].errors
    dupont.refresh_from_db()
    assert dupont.city == "Orléans" and dupont.is_resident is False
    event = FamilyEvent.objects.get(family=dupont, action=FamilyEvent.Action.CHANGED)
    assert event.actor == enfance_user
    assert event.data == {"city": ["Montrivel", "Orléans"], "is_resident": [True, False]}


def test_a_child_edit_is_recorded_on_both_households(client, enfance_user, dupont, bernard):
    child = dupont.children.get()
    child.memberships.create(family=bernard)
    client.force_login(enfance_user)
    form = client.get(url("edit", child, "child")).context["form"]
    data = {n: ("" if form[n].value() is None else form[n].value()) for n in form.fields}
    data["school"] = "École Pasteur"

    response = client.post(url("edit", child, "child"), data)

    assert response.status_code == 302
    for family in (dupont, bernard):
        event = FamilyEvent.objects.get(family=family, action="changed")
        assert event.data == {"school": ["École Jules-Ferry", "École Pasteur"]}


def test_a_guardian_edit_is_recorded_on_the_family(client, enfance_user, dupont):
    guardian = dupont.guardians.get()
    client.force_login(enfance_user)
    form = client.get(url("edit", guardian, "guardian")).context["form"]
    data = {n: ("" if form[n].value() is None else form[n].value()) for n in form.fields}
    data["phone_mobile"] = "07 00 00 00 01"
    data["consents_to_sms"] = ""

    response = client.post(url("edit", guardian, "guardian"), data)

    assert response.status_code == 302
    event = FamilyEvent.objects.get(family=dupont, action="changed")
    assert event.data == {"phone_mobile": ["06 12 34 56 78", "07 00 00 00 01"]}
    assert event.actor == enfance_user


def test_the_file_shows_its_history_who_when_what(client, enfance_user, dupont):
    FamilyEvent.objects.create(
        family=dupont,
        actor=enfance_user,
        action="changed",
        description="Fiche famille modifiée.",
        data={"city": ["Montrivel", "Orléans"]},
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
    )
    client.force_login(enfance_user)

    html = client.get(url("inspect", dupont)).content.decode()

    assert "Fiche famille modifiée." in html
    assert "Agnès Accueil" in html
    assert "02/03/2026 09:30" in html
    assert "Montrivel → Orléans" in html


def test_the_file_reads_in_the_same_number_of_queries_for_1_and_8_children(client, enfance_user):
    def family_with(children_count):
        family = FamilyFactory()
        GuardianFactory(family=family)
        GuardianFactory(family=family, is_primary=False, user=None)
        sorties = ConsentType.objects.get_or_create(name="Sorties")[0]
        for _ in range(children_count):
            child = ChildFactory(family=family)
            record = HealthRecord.objects.create(child=child)
            Vaccination.objects.create(health_record=record, vaccine="DTP", date="2019-01-01")
            AuthorizedPerson.objects.create(
                family=family, child=child, last_name="X", first_name="Y", phone="0612345678"
            )
            Consent.objects.create(child=child, consent_type=sorties)
        return family

    small, large = family_with(1), family_with(8)
    client.force_login(enfance_user)
    client.get(url("inspect", small))  # warm up the admin's caches

    counts = []
    for family in (small, large):
        FamilyEvent.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("inspect", family)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[1] < 40
