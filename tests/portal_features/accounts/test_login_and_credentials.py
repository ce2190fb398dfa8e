"""Login, logout, forgotten password, password and e-mail change."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from portal_features.accounts.services import (
    AccountError,
    email_change_token,
    user_change_email,
)
from portal_features.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tournesol-Bleu-47"


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# Login ------------------------------------------------------------------------------------


def test_login_page_has_labelled_fields_with_autocomplete(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert re.search(r'<input type="email" name="username"[^>]*autocomplete="email"', html)
    assert re.search(
        r'<input type="password" name="password"[^>]*autocomplete="current-password"', html
    )
    assert 'name="remember_me"' in html
    assert reverse("accounts:password_reset") in html


def test_login_ignores_the_case_of_the_email(parent, log_in, client):
    response = log_in("Claire.DUPONT@Example.fr")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(parent.pk)


def test_wrong_password_and_unknown_email_get_the_same_french_message(parent, log_in, client):
    wrong_password = log_in(parent.email, "Pas-le-bon-2026")
    unknown_email = log_in("personne@example.fr")

    expected = [french("Incorrect e-mail address or password.")]
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == expected
    assert unknown_email.context["form"].non_field_errors() == expected
    assert 'role="alert"' in wrong_password.content.decode()
    assert logged_in_user_id(client) is None


def test_inactive_account_gets_the_same_message_as_a_wrong_password(log_in, client):
    UserFactory(email="parti@example.fr", is_active=False)

    response = log_in("parti@example.fr")

    assert response.context["form"].non_field_errors() == [
        french("Incorrect e-mail address or password.")
    ]
    assert logged_in_user_id(client) is None


def test_without_remember_me_the_session_ends_with_the_browser(parent, log_in, client):
    response = log_in(parent.email)

    session = client.session
    assert session.get_expire_at_browser_close()
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    # A browser that restores its tabs keeps the cookie: the server still forgets the session.
    assert session.get_expiry_date() <= timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE
    )


def test_remember_me_keeps_the_session_for_the_cookie_age(parent, log_in, client):
    response = log_in(parent.email, remember_me="on")

    session = client.session
    assert not session.get_expire_at_browser_close()
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_login_redirects_to_a_safe_next(parent, log_in):
    target = reverse("accounts:password_change")

    response = log_in(parent.email, next=target)

    assert response["Location"] == target


@pytest.mark.parametrize(
    "unsafe_next", ["https://pirate.example/", "//pirate.example/", "javascript:alert(1)"]
)
def test_login_ignores_a_next_to_another_site(parent, log_in, unsafe_next):
    response = log_in(parent.email, next=unsafe_next)

    assert response["Location"] == settings.LOGIN_REDIRECT_URL


def test_login_page_keeps_next_in_the_form(client):
    response = client.get(reverse("accounts:login"), {"next": "/account/password/"})

    assert (
        '<input type="hidden" name="next" value="/account/password/">' in response.content.decode()
    )


# Logout -----------------------------------------------------------------------------------


def test_logout_by_get_is_refused_and_keeps_the_session(parent, client):
    client.force_login(parent)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(parent.pk)


def test_logout_without_csrf_token_is_refused(parent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(parent)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert logged_in_user_id(client) == str(parent.pk)


def test_logout_goes_home_with_a_message(parent, client):
    client.force_login(parent)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        french("You are logged out. See you soon!")
    ]


# Forgotten password -----------------------------------------------------------------------


def reset_link_from(message):
    match = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_end_to_end(parent, client, log_in):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "CLAIRE.dupont@example.fr"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [parent.email]
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = reset_link_from(message)
    assert f'href="http://testserver{link}"' in html_body

    # Django swaps the token for a session entry and redirects to ".../set-password/".
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    assert 'autocomplete="new-password"' in form_page.content.decode()

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")

    assert log_in(parent.email, PASSWORD).status_code == 200
    assert log_in(parent.email, NEW_PASSWORD).status_code == 302
    assert logged_in_user_id(client) == str(parent.pk)


def test_password_reset_link_works_only_once(parent, client):
    client.post(reverse("accounts:password_reset"), {"email": parent.email})
    link = reset_link_from(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert reverse("accounts:password_reset") in again.content.decode()


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(parent, client):
    known = client.post(reverse("accounts:password_reset"), {"email": parent.email}, follow=True)
    mail.outbox.clear()

    unknown = client.post(
        reverse("accounts:password_reset"), {"email": "inconnu@example.fr"}, follow=True
    )

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content


def without_csrf_token(response):
    """The page's HTML, less the token Django masks afresh on every page."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"CSRF_TOKEN": "[^"]+"', "", html)  # in the Wagtail admin's page config


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the database queue, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        """What the worker (manage.py db_worker) does with each waiting task."""
        for queued in DBTaskResult.objects.order_by("enqueued_at"):
            queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
            queued.delete()

    return run


@pytest.mark.parametrize("url_name", ["accounts:password_reset", "wagtailadmin_password_reset"])
def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(
    parent, client, queued_tasks, url_name
):
    """The time and the queries of the request must not tell which addresses have an
    account: looking it up and rendering the e-mail happen in the worker."""
    parent.is_staff = True
    parent.save()
    url = reverse(url_name)
    for _ in range(2):  # the site's settings are created, then cached
        client.post(url, {"email": "premier@example.fr"}, follow=True)
    queued_tasks()

    with CaptureQueriesContext(connection) as known_queries:
        known = client.post(url, {"email": parent.email}, follow=True)
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = client.post(url, {"email": "inconnu@example.fr"}, follow=True)

    assert len(known_queries) == len(unknown_queries)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf_token(known) == without_csrf_token(unknown)
    assert mail.outbox == []
    queued_tasks()
    assert [message.to for message in mail.outbox] == [[parent.email]]
    link = re.search(r"http://testserver(/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]


# Password change --------------------------------------------------------------------------


def test_password_change_requires_login(client):
    url = reverse("accounts:password_change")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_password_change_with_a_wrong_current_password_is_refused(parent, client):
    client.force_login(parent)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Pas-le-bon-2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "password_incorrect")
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def test_password_change_keeps_the_parent_logged_in(parent, client, log_in):
    client.force_login(parent)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("accounts:password_change_done")).status_code == 200
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)


# E-mail change ----------------------------------------------------------------------------


def test_email_change_requires_login(client):
    response = client.get(reverse("accounts:email_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/email/confirm/[^\s]+/)", message.body).group(1)


def test_email_change_waits_for_the_link_sent_to_the_new_address(parent, client, log_in):
    client.force_login(parent)

    response = client.post(
        reverse("accounts:email_change"),
        {"new_email": "Claire.Martin@Example.fr", "current_password": PASSWORD},
    )

    assert response["Location"] == reverse("accounts:email_change_sent")
    assert "claire.martin@example.fr" in client.get(response["Location"]).content.decode()
    parent.refresh_from_db()
    assert parent.email == "claire.dupont@example.fr"
    assert len(mail.outbox) == 1
    link_mail = mail.outbox[0]
    assert link_mail.to == ["claire.martin@example.fr"]
    link = confirmation_link(link_mail)
    assert link in link_mail.alternatives[0][0]

    # Opening the link (as a mail scanner would) changes nothing; the button does.
    assert client.get(link).status_code == 200
    assert User.objects.get(pk=parent.pk).email == "claire.dupont@example.fr"
    response = client.post(link)

    assert response["Location"] == reverse("accounts:email_change_done")
    parent.refresh_from_db()
    assert parent.email == "claire.martin@example.fr"
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert notice.to == ["claire.dupont@example.fr"]
    assert "claire.martin@example.fr" in notice.body
    assert "claire.martin@example.fr" in notice.alternatives[0][0]
    client.post(reverse("accounts:logout"))
    assert log_in("claire.martin@example.fr").status_code == 302


def test_the_email_change_link_works_logged_out_and_only_once(parent, client):
    client.force_login(parent)
    client.post(
        reverse("accounts:email_change"),
        {"new_email": "claire.martin@example.fr", "current_password": PASSWORD},
    )
    link = confirmation_link(mail.outbox[0])
    client.post(reverse("accounts:logout"))

    response = client.post(link)

    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(pk=parent.pk).email == "claire.martin@example.fr"
    again = client.post(link)
    assert again.status_code == 400
    assert (
        escape(
            french(
                "This link is no longer valid: it has expired or was already used. "
                "Ask for the change again from your account."
            )
        )
        in again.content.decode()
    )


def test_the_email_change_link_expires_after_a_day(parent, client):
    client.force_login(parent)
    client.post(
        reverse("accounts:email_change"),
        {"new_email": "claire.martin@example.fr", "current_password": PASSWORD},
    )
    link = confirmation_link(mail.outbox[0])
    later = time.time() + 24 * 3600 + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(link)

    assert response.status_code == 400
    assert User.objects.get(pk=parent.pk).email == "claire.dupont@example.fr"
    assert len(mail.outbox) == 1


def test_a_forged_email_change_link_changes_nothing(parent, client):
    token = email_change_token(user=parent, new_email="pirate@example.fr")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.post(reverse("accounts:email_change_confirm", args=[forged]))

    assert response.status_code == 400
    assert User.objects.get(pk=parent.pk).email == "claire.dupont@example.fr"


def test_an_address_taken_meanwhile_is_refused_when_the_link_is_followed(parent, client):
    token = email_change_token(user=parent, new_email="claire.martin@example.fr")
    UserFactory(email="claire.martin@example.fr")

    response = client.post(reverse("accounts:email_change_confirm", args=[token]))

    assert response.status_code == 400
    assert french("This address cannot be used. Choose another one.") in (response.content.decode())
    assert User.objects.get(pk=parent.pk).email == "claire.dupont@example.fr"


def test_email_change_with_a_wrong_password_changes_nothing(parent, client):
    client.force_login(parent)

    response = client.post(
        reverse("accounts:email_change"),
        {"new_email": "claire.martin@example.fr", "current_password": "Pas-le-bon-2026"},
    )

    assert response.context["form"].errors["current_password"] == [
        french("Your current password is incorrect.")
    ]
    parent.refresh_from_db()
    assert parent.email == "claire.dupont@example.fr"
    assert mail.outbox == []


def test_email_of_another_account_cannot_be_used_and_the_message_says_no_more(parent, client):
    UserFactory(email="paul.durand@example.fr")
    client.force_login(parent)

    response = client.post(
        reverse("accounts:email_change"),
        {"new_email": "Paul.Durand@example.fr", "current_password": PASSWORD},
    )

    assert response.context["form"].errors["new_email"] == [
        french("This address cannot be used. Choose another one.")
    ]
    parent.refresh_from_db()
    assert parent.email == "claire.dupont@example.fr"
    assert mail.outbox == []


def test_current_address_is_not_a_new_one(parent, client):
    client.force_login(parent)

    response = client.post(
        reverse("accounts:email_change"),
        {"new_email": "CLAIRE.DUPONT@example.fr", "current_password": PASSWORD},
    )

    assert response.context["form"].has_error("new_email", "same_email")


def test_email_change_service_rechecks_the_address_itself(parent):
    """The view's form checks first; the service must not trust that check."""
    UserFactory(email="paul.durand@example.fr")

    with pytest.raises(AccountError):
        user_change_email(user=parent, new_email="PAUL.durand@example.fr", site_name="Ma commune")

    assert User.objects.get(pk=parent.pk).email == "claire.dupont@example.fr"
    assert mail.outbox == []
