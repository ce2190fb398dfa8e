""" "Nouveau dossier": the public form, the submission, staff acceptance and refusal."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.models import Counter
from portal_features.errors import PortalError
from portal_features.models import (
    Child,
    Family,
    FamilyEvent,
    Guardian,
    Notification,
    SignupRequest,
    User,
)
from portal_features.numbering import family_number_allocate
from portal_features.signup.services import (
    signup_request_accept,
    signup_request_refuse,
    signup_request_submit,
)
from tests.factories import SignupRequestFactory, UserFactory, signup_request_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tournesol-Bleu-47"
PARIS = ZoneInfo("Europe/Paris")


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def form_data(children=1, **overrides):
    data = {
        "primary-civility": "mme",
        "primary-last_name": "Durand",
        "primary-first_name": "Léa",
        "primary-role": "mother",
        "primary-email": "Lea.Durand@Example.fr",
        "primary-phone_mobile": "06 12 34 56 78",
        "address-address_line": "3 rue des Lilas",
        "address-postal_code": "44000",
        "address-city": "Nantes",
        "children-TOTAL_FORMS": str(children),
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "6",
        "certify-certify": "on",
    }
    for index, name in enumerate(["Tom", "Zoé", "Noé", "Lou", "Léo", "Max", "Ana"][:children]):
        data |= {
            f"children-{index}-last_name": "Durand",
            f"children-{index}-first_name": name,
            f"children-{index}-birth_date": f"201{index}-05-04",
            f"children-{index}-sex": "m",
            f"children-{index}-school_level": "cp",
            f"children-{index}-school": "École Jules-Ferry",
        }
    data.update(overrides)
    return data


@pytest.fixture
def staff(db):
    return UserFactory(email="agent@mairie.example.fr", is_staff=True)


def submit(client, data, captured):
    with captured(execute=True):
        return client.post(reverse("signup:signup"), data)


# The form ---------------------------------------------------------------------------------


def test_form_page_has_labelled_fields_and_an_add_child_button(client):
    response = client.get("/account/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_primary-email">' in html
    assert '<label for="id_children-0-birth_date">' in html
    assert 'name="add_child"' in html
    assert 'name="children-1-first_name"' not in html


def test_add_child_without_javascript_keeps_what_was_typed(client):
    response = client.post(reverse("signup:signup"), form_data(add_child="1"))

    html = response.content.decode()
    assert 'name="children-1-first_name"' in html
    assert 'value="Tom"' in html
    assert 'value="Durand"' in html
    assert "form-field__errors" not in html
    assert SignupRequest.objects.count() == 0


def test_missing_fields_get_french_errors_next_to_them_and_nothing_is_saved(
    client, django_capture_on_commit_callbacks
):
    data = form_data(**{"primary-email": "", "address-postal_code": "44", "children-0-sex": ""})

    response = submit(client, data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    html = response.content.decode()
    required = french("This field is required.")
    assert re.search(rf'id="id_primary-email_error">\s*<li>{re.escape(required)}', html)
    assert french("Enter a postal code of 5 digits.") in html
    assert 'id="id_children-0-sex_error"' in html
    assert 'aria-invalid="true"' in html
    assert SignupRequest.objects.count() == 0
    assert mail.outbox == []


def test_a_started_second_guardian_must_be_complete(client, django_capture_on_commit_callbacks):
    data = form_data(**{"second-first_name": "Marc"})

    response = submit(client, data, django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert 'id="id_second-last_name_error"' in html
    assert 'id="id_second-email_error"' not in html
    assert SignupRequest.objects.count() == 0


def test_a_child_born_in_the_future_is_refused(client, django_capture_on_commit_callbacks):
    response = submit(
        client,
        form_data(**{"children-0-birth_date": "2999-01-01"}),
        django_capture_on_commit_callbacks,
    )

    assert french("The date of birth cannot be in the future.") in response.content.decode()
    assert SignupRequest.objects.count() == 0


def test_more_than_six_children_are_refused(client, django_capture_on_commit_callbacks):
    submit(client, form_data(children=7), django_capture_on_commit_callbacks)

    assert SignupRequest.objects.count() == 0


# Submission -------------------------------------------------------------------------------


def test_submit_stores_one_pending_request_and_acknowledges_it(
    client, django_capture_on_commit_callbacks
):
    data = form_data(
        children=2,
        **{
            "second-civility": "m",
            "second-last_name": "Durand",
            "second-first_name": "Marc",
            "second-role": "father",
            "second-phone_mobile": "06 98 76 54 32",
        },
    )

    response = submit(client, data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("signup:received")
    signup_request = SignupRequest.objects.get()
    assert signup_request.status == "pending"
    assert signup_request.email == "lea.durand@example.fr"
    assert signup_request.data["second_guardian"]["first_name"] == "Marc"
    assert [c["first_name"] for c in signup_request.data["children"]] == ["Tom", "Zoé"]
    assert signup_request.data["children"][0]["birth_date"] == "2010-05-04"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.durand@example.fr"]
    # The acknowledgement says what happens next, and repeats nothing typed (no names).
    assert french("The childhood service will check your request and answer you by e-mail.") in (
        mail.outbox[0].body
    )
    assert "Tom" not in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_blank_extra_child_forms_are_ignored(client, django_capture_on_commit_callbacks):
    submit(
        client,
        form_data(children=1, **{"children-TOTAL_FORMS": "3"}),
        django_capture_on_commit_callbacks,
    )

    assert len(SignupRequest.objects.get().data["children"]) == 1


def test_an_email_with_an_account_gets_the_same_page_and_a_mail_but_no_request(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="lea.durand@example.fr")
    fresh = submit(
        client,
        form_data(**{"primary-email": "autre@example.fr"}),
        django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()

    known = submit(client, form_data(), django_capture_on_commit_callbacks)

    assert known.status_code == fresh.status_code == 302
    assert known["Location"] == fresh["Location"]
    assert list(SignupRequest.objects.values_list("email", flat=True)) == ["autre@example.fr"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.durand@example.fr"]
    assert reverse("accounts:password_reset") in mail.outbox[0].body


def test_a_second_request_with_a_pending_address_creates_no_duplicate(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = signup_request_submit(data=signup_request_data(), email="lea.durand@example.fr")
        second = signup_request_submit(data=signup_request_data(), email="LEA.durand@example.fr")

    assert first is not None and second is None
    assert SignupRequest.objects.count() == 1
    assert len(mail.outbox) == 2
    in_progress = french(
        "A request with this address is already in progress: the childhood service will "
        "answer you by e-mail. No need to send it again."
    )
    assert in_progress in mail.outbox[1].body


def test_a_refused_address_may_ask_again(django_capture_on_commit_callbacks):
    SignupRequestFactory(email="lea.durand@example.fr", status="refused")

    assert signup_request_submit(data=signup_request_data(), email="lea.durand@example.fr")
    assert SignupRequest.objects.count() == 2


# Acceptance -------------------------------------------------------------------------------


def test_accept_creates_the_family_its_people_and_a_login(
    staff, django_capture_on_commit_callbacks
):
    data = signup_request_data(
        second_guardian={
            "civility": "m",
            "last_name": "Martin",
            "first_name": "Marc",
            "role": "father",
            "email": "",
            "phone_mobile": "06 98 76 54 32",
        },
        children=[
            {"last_name": "Durand", "first_name": "Tom", "birth_date": "2018-05-04", "sex": "m"},
            {"last_name": "Durand", "first_name": "Zoé", "birth_date": "2020-01-02", "sex": "f"},
        ],
    )
    signup_request = SignupRequestFactory(email="lea.durand@example.fr", data=data)
    now = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)

    with django_capture_on_commit_callbacks(execute=True):
        family = signup_request_accept(request=signup_request, actor=staff, now=now)

    assert family.number == "202600001"
    assert family.name == "DURAND"
    assert (family.address_line, family.postal_code, family.city) == (
        "3 rue des Lilas",
        "44000",
        "Nantes",
    )
    primary, second = family.guardians.order_by("-is_primary")
    assert primary.is_primary and primary.user.email == "lea.durand@example.fr"
    assert not primary.user.has_usable_password()
    assert (second.first_name, second.user) == ("Marc", None)
    assert sorted(Child.objects.for_family(family).values_list("first_name", flat=True)) == [
        "Tom",
        "Zoé",
    ]
    signup_request.refresh_from_db()
    assert signup_request.status == "accepted"
    assert signup_request.family == family
    assert signup_request.decided_by == staff
    event = FamilyEvent.objects.get(family=family)
    assert (event.action, event.actor) == ("accepted", staff)
    assert Notification.objects.get(family=family).kind == "account_accepted"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.durand@example.fr"]
    assert "5 mars 2026" in mail.outbox[0].body  # valid for PASSWORD_RESET_TIMEOUT (3 days)


def set_password_link(message):
    return re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)


def test_the_set_password_link_lets_the_parent_log_in(
    client, staff, log_in, django_capture_on_commit_callbacks
):
    signup_request = SignupRequestFactory(email="lea.durand@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        signup_request_accept(request=signup_request, actor=staff)

    form_page = client.get(set_password_link(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    client.logout()

    response = log_in("lea.durand@example.fr", NEW_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(
        User.objects.get(email="lea.durand@example.fr").pk
    )


def test_accept_twice_is_refused_and_duplicates_nothing(staff, django_capture_on_commit_callbacks):
    signup_request = SignupRequestFactory()
    signup_request_accept(request=signup_request, actor=staff)
    stale = SignupRequest.objects.get(pk=signup_request.pk)
    stale.status = "pending"  # a second screen still showing the old state

    with pytest.raises(PortalError) as error:
        signup_request_accept(request=stale, actor=staff)

    assert error.value.message == "Cette demande a déjà été traitée."
    assert Family.objects.count() == 1
    assert Guardian.objects.count() == 1
    assert Child.objects.count() == 1
    assert User.objects.filter(email=signup_request.email).count() == 1


def test_accept_rolls_everything_back_when_a_step_fails(staff):
    signup_request = SignupRequestFactory(
        data=signup_request_data(
            children=[{"last_name": "X", "first_name": "Y", "birth_date": "bad", "sex": "m"}]
        )
    )

    with pytest.raises(ValueError):
        signup_request_accept(request=signup_request, actor=staff)

    assert (Family.objects.count(), Guardian.objects.count(), User.objects.count()) == (0, 0, 1)
    assert SignupRequest.objects.get().status == "pending"
    assert not Counter.objects.filter(scope="family", last_value__gt=0).exists()


def test_accept_refuses_an_address_that_got_an_account_meanwhile(staff):
    signup_request = SignupRequestFactory(email="lea.durand@example.fr")
    UserFactory(email="lea.durand@example.fr")

    with pytest.raises(PortalError):
        signup_request_accept(request=signup_request, actor=staff)

    assert Family.objects.count() == 0


def test_three_accepts_get_three_consecutive_numbers(staff):
    now = datetime(2026, 9, 1, 9, 0, tzinfo=PARIS)

    numbers = [
        signup_request_accept(request=SignupRequestFactory(), actor=staff, now=now).number
        for _ in range(3)
    ]

    assert numbers == ["202600001", "202600002", "202600003"]


def test_numbers_restart_each_year_and_never_repeat():
    assert family_number_allocate(year=2026) == "202600001"
    assert family_number_allocate(year=2026) == "202600002"
    assert family_number_allocate(year=2027) == "202700001"
    assert Counter.objects.get(scope="family", year=2026).last_value == 2


# Refusal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_refuse_needs_a_reason(staff, reason):
    signup_request = SignupRequestFactory()

    with pytest.raises(PortalError):
        signup_request_refuse(request=signup_request, actor=staff, reason=reason)

    assert SignupRequest.objects.get().status == "pending"


def test_refuse_mails_the_reason(staff, django_capture_on_commit_callbacks):
    signup_request = SignupRequestFactory(email="lea.durand@example.fr")

    with django_capture_on_commit_callbacks(execute=True):
        signup_request_refuse(
            request=signup_request, actor=staff, reason="Vous n'habitez pas la commune."
        )

    signup_request.refresh_from_db()
    assert signup_request.status == "refused"
    assert signup_request.refusal_reason == "Vous n'habitez pas la commune."
    assert mail.outbox[0].to == ["lea.durand@example.fr"]
    assert "Vous n'habitez pas la commune." in mail.outbox[0].body
    assert Family.objects.count() == 0


def test_a_refused_request_cannot_be_accepted(staff):
    signup_request = SignupRequestFactory(status="refused")

    with pytest.raises(PortalError):
        signup_request_accept(request=signup_request, actor=staff)
