"""The user model: one login per adult, identified by e-mail, managed in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from tests.factories import PASSWORD, UserFactory

User = get_user_model()


@pytest.mark.django_db
def test_users_have_no_username_and_log_in_by_email():
    user = User.objects.create_user("Claire.Dupont@Example.FR", PASSWORD)
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")
    assert user.email == "claire.dupont@example.fr"
    assert User.objects.get_by_natural_key("CLAIRE.DUPONT@example.fr") == user


@pytest.mark.django_db
def test_the_same_email_in_another_case_cannot_make_a_second_account():
    UserFactory(email="paul.martin@example.fr")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Paul.Martin@example.fr")])


@pytest.mark.django_db
def test_create_superuser_requires_staff_and_superuser_flags():
    admin = User.objects.create_superuser("admin@example.fr", PASSWORD)
    assert admin.is_staff and admin.is_superuser
    with pytest.raises(ValueError):
        User.objects.create_superuser("other@example.fr", PASSWORD, is_staff=False)


@pytest.mark.django_db
def test_wagtail_admin_creates_a_user_from_an_email(client):
    admin = User.objects.create_superuser("admin@example.fr", PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/users/new/").status_code == 200

    response = client.post(
        "/admin/users/new/",
        {
            "email": "directrice@example.fr",
            "first_name": "Nadia",
            "last_name": "Leroy",
            "password1": "Centre-Loisirs-2026",
            "password2": "Centre-Loisirs-2026",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="directrice@example.fr")
    assert created.get_full_name() == "Nadia Leroy"
    assert created.check_password("Centre-Loisirs-2026")
