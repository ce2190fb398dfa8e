"""« Mon dossier »: what a family sees, the requests its edits become, and its isolation."""

import datetime
import re

import pytest
from django.core import mail

from portal_features.change_requests.services import NOTHING_CHANGED
from portal_features.models import ChangeRequest, Guardian, QuotientRecord, User
from tests.factories import (
    AuthorizedPersonFactory,
    ChildFactory,
    ConsentTypeFactory,
    FamilyFactory,
    GuardianFactory,
    HealthRecordFactory,
    PortalPageFactory,
)

pytestmark = pytest.mark.django_db

VALID_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(db):
    family = FamilyFactory(
        name="DUPONT",
        number="202600042",
        benefits_number="1234567",
        iban=VALID_IBAN,
        bank_account_holder="Claire Dupont",
    )
    QuotientRecord.objects.create(
        family=family,
        value="612.50",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2099, 12, 31),
        source=QuotientRecord.Source.CAF,
    )
    return GuardianFactory(family=family, first_name="Claire")


@pytest.fixture
def family(guardian):
    return guardian.family


@pytest.fixture
def logged_in(client, guardian):
    client.force_login(guardian.user)
    return client


def url(portal, path=""):
    return portal.url + "family/" + path


def form_data(response):
    """The form's current values, as a browser would post them unchanged."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.widget.input_type == "checkbox":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = field.widget.format_value(value) or ""
    return data


def test_overview_shows_the_file_and_hides_the_other_households_persons(logged_in, portal, family):
    other_family = FamilyFactory(name="MARTIN")
    child = ChildFactory(first_name="Léa", family=family)
    child.memberships.create(family=other_family)  # separated parents: two households
    HealthRecordFactory(child=child, allergies="Arachide", has_pai=True)
    AuthorizedPersonFactory(family=family, child=child, first_name="Josette")
    AuthorizedPersonFactory(family=other_family, child=child, first_name="Ginette")
    consent = ConsentTypeFactory(name="Droit à l'image")
    child.consents.create(consent_type=consent, granted=True)

    response = logged_in.get(url(portal))

    html = response.content.decode()
    assert response.status_code == 200
    assert "202600042" in html
    assert "1234567" in html
    assert "612,50" in html and "01/01/2026" in html and "31/12/2099" in html
    assert "0189" in html and VALID_IBAN not in html and "30006" not in html
    assert "Léa" in html and "Arachide" in html and "Sans porc" in html
    assert "Josette" in html
    assert "Ginette" not in html
    assert "Droit à l&#x27;image" in html


def test_child_detail_hides_the_other_households_persons(logged_in, portal, family):
    other_family = FamilyFactory()
    child = ChildFactory(family=family)
    child.memberships.create(family=other_family)
    AuthorizedPersonFactory(family=family, child=child, first_name="Josette")
    AuthorizedPersonFactory(family=other_family, child=child, first_name="Ginette")

    html = logged_in.get(url(portal, f"children/{child.pk}/")).content.decode()

    assert "Josette" in html and "Ginette" not in html


def test_editing_the_family_sends_a_request_with_only_the_changed_fields(logged_in, portal, family):
    page = logged_in.get(url(portal, "edit/"))
    data = form_data(page)
    data.update(city="Orléans", benefits_number="7654321")

    response = logged_in.post(url(portal, "edit/"), data)

    assert response.status_code == 302
    change_request = ChangeRequest.objects.get(family=family)
    assert change_request.changes == {
        "city": ["Montrivel-sur-Loire", "Orléans"],
        "benefits_number": ["1234567", "7654321"],
    }
    assert change_request.status == "pending"
    family.refresh_from_db()
    assert family.city == "Montrivel-sur-Loire"  # nothing changes before staff accept


def test_an_unchanged_form_sends_no_request(logged_in, portal, family):
    data = form_data(logged_in.get(url(portal, "edit/")))

    response = logged_in.post(url(portal, "edit/"), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(NOTHING_CHANGED)]
    assert not ChangeRequest.objects.exists()


def test_an_invalid_iban_is_refused_next_to_the_field(logged_in, portal):
    data = form_data(logged_in.get(url(portal, "edit/")))
    data["iban"] = "FR76 3000 6000 0112 3456 7890 188"

    response = logged_in.post(url(portal, "edit/"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_iban_error">\s*<li>Cet IBAN n’est pas valide', html) or (
        'id="id_iban_error"' in html and "IBAN" in html
    )
    assert not ChangeRequest.objects.exists()


def test_an_iban_is_stored_normalised(logged_in, portal, family):
    data = form_data(logged_in.get(url(portal, "edit/")))
    data["iban"] = "fr14 2004 1010 0505 0001 3m02 606"

    logged_in.post(url(portal, "edit/"), data)

    assert ChangeRequest.objects.get().changes["iban"] == [
        VALID_IBAN,
        "FR1420041010050500013M02606",
    ]


def test_a_guardian_edit_and_a_new_authorised_person_become_requests(
    logged_in, portal, family, guardian
):
    child = ChildFactory(family=family)
    data = form_data(logged_in.get(url(portal, f"guardians/{guardian.pk}/edit/")))
    data["phone_work"] = "02 38 00 00 00"
    logged_in.post(url(portal, f"guardians/{guardian.pk}/edit/"), data)

    logged_in.post(
        url(portal, f"children/{child.pk}/authorised-persons/add/"),
        {
            "last_name": "BERNARD",
            "first_name": "Josette",
            "phone": "06 11 22 33 44",
            "may_pick_up": "on",
        },
    )

    update, create = ChangeRequest.objects.order_by("pk")
    assert update.target == guardian
    assert update.changes == {"phone_work": ["", "02 38 00 00 00"]}
    assert create.target == child
    assert create.changes["__action__"] == "create:authorizedperson"
    assert create.changes["first_name"] == [None, "Josette"]


def test_an_authorised_person_needs_a_role(logged_in, portal, family):
    child = ChildFactory(family=family)

    response = logged_in.post(
        url(portal, f"children/{child.pk}/authorised-persons/add/"),
        {"last_name": "BERNARD", "first_name": "Josette", "phone": "06 11 22 33 44"},
    )

    assert response.status_code == 200
    assert not ChangeRequest.objects.exists()


def test_my_requests_show_labels_old_and_new_values_status_and_reason(
    logged_in, portal, family, guardian
):
    ChangeRequest.objects.create(
        family=family,
        target=guardian,
        summary="Responsable Claire Dupont",
        changes={"marital_status": ["married", "divorced"], "consents_to_sms": [False, True]},
        status="refused",
        refusal_reason="Merci de joindre le jugement.",
    )

    html = logged_in.get(url(portal, "requests/")).content.decode()

    assert "Situation familiale" in html or "situation" in html.lower()
    assert "Marié" in html and "Divorcé" in html
    assert "married" not in html
    assert "Refusée" in html
    assert "Merci de joindre le jugement." in html


@pytest.mark.parametrize(
    "path",
    [
        "guardians/{guardian}/edit/",
        "children/{child}/",
        "children/{child}/edit/",
        "children/{child}/health/",
        "children/{child}/vaccinations/add/",
        "children/{child}/authorised-persons/add/",
        "children/{child}/consents/",
        "authorised-persons/{person}/edit/",
    ],
)
def test_another_familys_ids_give_404(logged_in, portal, path):
    other = GuardianFactory()
    child = ChildFactory(family=other.family)
    person = AuthorizedPersonFactory(family=other.family, child=child)
    target = path.format(guardian=other.pk, child=child.pk, person=person.pk)

    assert logged_in.get(url(portal, target)).status_code == 404
    assert logged_in.post(url(portal, target), {"city": "X"}).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_the_other_households_person_of_a_shared_child_gives_404(logged_in, portal, family):
    other_family = FamilyFactory()
    child = ChildFactory(family=family)
    child.memberships.create(family=other_family)
    theirs = AuthorizedPersonFactory(family=other_family, child=child)

    assert logged_in.get(url(portal, f"authorised-persons/{theirs.pk}/edit/")).status_code == 404


def _family_with_children(family, count):
    consent_types = [ConsentTypeFactory(), ConsentTypeFactory()]
    for _ in range(count):
        child = ChildFactory(family=family)
        record = HealthRecordFactory(child=child)
        record.vaccinations.create(vaccine="DTP", date=datetime.date(2019, 1, 1))
        AuthorizedPersonFactory(family=family, child=child)
        for consent_type in consent_types:
            child.consents.create(consent_type=consent_type, granted=True)


# The portal shell (session, user, family with its unread-alerts count; the site, the portal
# page and its view restrictions are kept until the purge) takes 4 queries; the family file
# adds 8 (its quotient records included), whatever its size.
OVERVIEW_QUERIES = 12


def test_overview_query_count_does_not_grow_with_children(
    logged_in, portal, family, django_assert_num_queries
):
    _family_with_children(family, 1)
    logged_in.get(url(portal))  # warm the caches (content types, site settings)
    logged_in.get(url(portal))
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert logged_in.get(url(portal)).status_code == 200

    _family_with_children(family, 7)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = logged_in.get(url(portal))

    # Every child's authorised person is listed (first names "Personne<n>").
    assert len(re.findall(r"Personne\d+", response.content.decode())) == 8


def test_a_guardian_invites_the_other_who_sets_a_password_and_logs_in(
    client, portal, family, guardian, log_in, django_capture_on_commit_callbacks
):
    other = GuardianFactory(
        family=family, user=None, is_primary=False, first_name="Marc", civility="m"
    )
    client.force_login(guardian.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(portal, "guardians/invite/"),
            {"guardian": other.pk, "email": "Marc.Dupont@example.fr"},
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marc.dupont@example.fr"]
    other.refresh_from_db()
    assert other.user.email == "marc.dupont@example.fr"
    assert not other.user.has_usable_password()

    client.logout()
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Une-phrase-de-passe-2026", "new_password2": "Une-phrase-de-passe-2026"},
    )
    client.logout()
    login = log_in("marc.dupont@example.fr", "Une-phrase-de-passe-2026")
    assert login.status_code == 302
    html = client.get(url(portal)).content.decode()
    assert "202600042" in html


def test_an_invitation_to_an_address_already_used_is_answered_like_any_other(
    logged_in, portal, family, django_capture_on_commit_callbacks
):
    """The inviting family must not learn which addresses have an account: same redirect,
    same message; the address's owner is told, and no login is created."""
    taken = User.objects.create_user(email="pris@example.fr", password="x")
    other = GuardianFactory(family=family, user=None, is_primary=False, first_name="Marc")
    third = GuardianFactory(family=family, user=None, is_primary=False, first_name="Zoé")

    def invite(guardian, email):
        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post(
                url(portal, "guardians/invite/"), {"guardian": guardian.pk, "email": email}
            )
        page = logged_in.get(response["Location"])
        messages = [str(message) for message in page.context["messages"]]
        return response, [message.replace(email, "<email>") for message in messages]

    free, free_messages = invite(third, "libre@example.fr")
    mail.outbox.clear()
    used, used_messages = invite(other, "Pris@Example.fr")

    assert used.status_code == free.status_code == 302
    assert used["Location"] == free["Location"]
    assert used_messages == free_messages
    assert Guardian.objects.get(pk=other.pk).user is None
    assert User.objects.filter(email__iexact="pris@example.fr").get() == taken
    assert [message.to for message in mail.outbox] == [["pris@example.fr"]]
    notice = mail.outbox[0]
    assert "/account/password-reset/" in notice.body  # the "forgotten password" page
    assert not re.search(r"/account/password-reset/\S+/\S+/", notice.body)  # no set-password link
    assert "Marc" not in notice.body and "DUPONT" not in notice.body


def test_a_guardian_of_another_family_cannot_be_invited(logged_in, portal):
    stranger = GuardianFactory(user=None)

    response = logged_in.post(
        url(portal, "guardians/invite/"), {"guardian": stranger.pk, "email": "x@example.fr"}
    )

    assert response.status_code == 200
    assert Guardian.objects.get(pk=stranger.pk).user is None
