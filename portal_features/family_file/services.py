"""State changes of the family file that are not change requests: inviting a guardian."""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.emails import absolute_url, send_templated_email

from ..accounts.services import normalize_login_email
from ..audit import family_event_record
from ..errors import PortalError
from ..models import Family, FamilyEvent, Guardian, User

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "portal_features/family_file/emails"


def guardian_invite(
    *, family: Family, guardian: Guardian, email: str, user, now=None
) -> User | None:
    """Give the family's other guardian a login of their own and e-mail a set-password link.

    An address already used by an account is answered like a free one, so that the screen
    tells nobody which addresses have an account: no login is created, and the address's
    owner gets a notice instead (without anything the inviting family typed). Returns the
    new user, or None for such an address.
    """
    now = now or timezone.now()
    email = normalize_login_email(email)
    with transaction.atomic():
        locked = Guardian.objects.select_for_update().filter(family=family, pk=guardian.pk).first()
        if locked is None:
            raise PortalError(_("This is not part of your family file."))
        if locked.user_id is not None:
            raise PortalError(_("This guardian already has an account."))
        invited = _create_login(guardian=locked, email=email, now=now)
        if invited is None:
            transaction.on_commit(partial(_send_address_taken_notice, email=email))
        else:
            locked.user = invited
            locked.email = email
            locked.save(update_fields=["user", "email"])
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CREATED,
                description=gettext("%(name)s invited to log in to the family portal")
                % {"name": locked.full_name},
                data={"guardian": locked.pk},
                now=now,
            )
            transaction.on_commit(
                partial(_send_invitation, invited=invited, inviting_user=user, now=now)
            )
    if invited is None:
        logger.info("Guardian %s of family %s: invited address in use", locked.pk, family.number)
    else:
        logger.info("Guardian %s of family %s invited", locked.pk, family.number)
    return invited


def _create_login(*, guardian: Guardian, email: str, now) -> User | None:
    """The guardian's new login, or None when an account already uses the address."""
    if User.objects.filter(email__iexact=email).exists():
        return None
    invited = User(
        email=email,
        first_name=guardian.first_name,
        last_name=guardian.last_name,
        date_joined=now,
    )
    invited.set_unusable_password()
    try:
        # Two accounts claiming the same address at once: the unique index decides.
        with transaction.atomic():
            invited.save()
    except IntegrityError:
        return None
    return invited


def _send_address_taken_notice(*, email: str) -> None:
    send_templated_email(
        template_dir=TEMPLATE_DIR,
        name="address_taken",
        context={
            "login_url": absolute_url(reverse("accounts:login")),
            "password_reset_url": absolute_url(reverse("accounts:password_reset")),
        },
        to_address=email,
    )


def _send_invitation(*, invited: User, inviting_user, now) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": default_token_generator.make_token(invited),
        },
    )
    send_templated_email(
        template_dir=TEMPLATE_DIR,
        name="invitation",
        context={
            "user": invited,
            "inviting_name": inviting_user.get_full_name(),
            "set_password_url": absolute_url(path),
            "valid_until": now + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        },
        to_address=invited.email,
    )
