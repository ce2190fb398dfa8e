"""State changes of an account that Django's auth views do not cover."""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .emails import send_templated_account_email

logger = logging.getLogger(__name__)

# Says nothing about why: the address may belong to another account, and that is private.
EMAIL_UNAVAILABLE_MESSAGE = _("This address cannot be used. Choose another one.")


# How long the link sent to a new address can be followed.
EMAIL_CHANGE_LINK_AGE = timedelta(hours=24)
EMAIL_CHANGE_SALT = "portal_features.accounts.email_change"
EMAIL_CHANGE_LINK_INVALID = _(
    "This link is no longer valid: it has expired or was already used. "
    "Ask for the change again from your account."
)


class AccountError(DomainError):
    """A refused change of an account's login."""


def normalize_login_email(email: str) -> str:
    """Logins are case-insensitive, so addresses are stored and compared in lower case."""
    return get_user_model().objects.normalize_email(email.strip()).lower()


def email_is_available(*, email: str, user) -> bool:
    return (
        not get_user_model()
        .objects.filter(email__iexact=normalize_login_email(email))
        .exclude(pk=user.pk)
        .exists()
    )


def user_change_email(*, user, new_email: str, site_name: str, now=None):
    """Give the account a new login address and tell the old address about it.

    The notice goes to the old address so that a parent whose session was stolen learns
    that the login was taken over.
    """
    now = now or timezone.now()
    new_email = normalize_login_email(new_email)
    User = get_user_model()
    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        old_email = locked_user.email
        if not email_is_available(email=new_email, user=locked_user):
            raise AccountError(EMAIL_UNAVAILABLE_MESSAGE)
        locked_user.email = new_email
        try:
            # Two accounts claiming the same address at once: the unique index decides.
            with transaction.atomic():
                locked_user.save(update_fields=["email"])
        except IntegrityError as error:
            raise AccountError(EMAIL_UNAVAILABLE_MESSAGE) from error
    logger.info("User %s changed their login e-mail address", locked_user.pk)
    send_templated_account_email(
        name="email_changed",
        context={
            "user": locked_user,
            "old_email": old_email,
            "new_email": new_email,
            "changed_at": now,
            "site_name": site_name,
        },
        to_address=old_email,
    )
    user.email = new_email
    return locked_user


def email_change_token(*, user, new_email: str) -> str:
    """A signed, timestamped token naming the account, its current address and the new one.

    Following it changes the login; it stops working after EMAIL_CHANGE_LINK_AGE, and once
    the address has changed (the current address it names no longer matches): one use only.
    """
    payload = {"user": user.pk, "old": user.email, "new": normalize_login_email(new_email)}
    return signing.dumps(payload, salt=EMAIL_CHANGE_SALT, compress=True)


def email_change_token_read(token: str):
    """(user, new address) of a valid token, or AccountError."""
    try:
        payload = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_LINK_AGE.total_seconds()
        )
        user = get_user_model().objects.get(pk=payload["user"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist) as error:
        raise AccountError(EMAIL_CHANGE_LINK_INVALID) from error
    if user.email != payload["old"]:
        raise AccountError(EMAIL_CHANGE_LINK_INVALID)
    return user, payload["new"]


def user_request_email_change(*, user, new_email: str, confirm_url: str, site_name: str):
    """Send the confirmation link to the new address; nothing changes until it is followed
    (user_change_email), so a typo cannot lock the parent out of their account."""
    new_email = normalize_login_email(new_email)
    if not email_is_available(email=new_email, user=user):
        raise AccountError(EMAIL_UNAVAILABLE_MESSAGE)
    logger.info("User %s asked to change their login e-mail address", user.pk)
    send_templated_account_email(
        name="email_change_confirm",
        context={
            "user": user,
            "new_email": new_email,
            "confirm_url": confirm_url,
            "link_hours": int(EMAIL_CHANGE_LINK_AGE.total_seconds() // 3600),
            "site_name": site_name,
        },
        to_address=new_email,
    )
