""" "Nouveau dossier": a household asks for an account; Enfance staff accept or refuse it."""

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

from core.choices import RequestStatus
from core.emails import absolute_url
from core.states import Moves

from ..accounts.services import normalize_login_email
from ..alerts.kinds import AlertKind
from ..alerts.tell import FileEvent, family_tell
from ..choices import SIGNUP_REQUEST_TRANSITIONS
from ..errors import PortalError
from ..members import child_add, known_children_of
from ..models import (
    Child,
    ChildMembership,
    Family,
    FamilyEvent,
    Guardian,
    SignupRequest,
    User,
)
from ..numbering import family_number_allocate
from .attachments import (
    signup_attachments_discard,
    signup_attachments_store,
    signup_attachments_transfer,
    signup_documents_validate,
)
from .emails import send_signup_email
from .hooks import signup_accepted_run

logger = logging.getLogger(__name__)

ALREADY_PROCESSED = _("This request has already been processed.")
MOVES = Moves(SIGNUP_REQUEST_TRANSITIONS, PortalError, ALREADY_PROCESSED)
GUARDIAN_FIELDS = ("civility", "last_name", "first_name", "role", "email", "phone_mobile")


def signup_request_submit(
    *, data: dict, email: str, documents=(), now=None
) -> SignupRequest | None:
    """Store a pending request and acknowledge it, or tell the owner of a known address.

    `data` holds the form's cleaned data: "primary_guardian", "second_guardian" (or None),
    "address" and "children"; `documents` the files sent with it, (child's place or None,
    document type, uploaded file), stored only with a new request. The screen says the
    same in both cases, so nobody learns from it whether an address has an account; only
    the mailbox's owner gets the difference.
    Returns the new request, or None when the address was already known.
    """
    now = now or timezone.now()
    email = normalize_login_email(email)
    has_account = User.objects.filter(email__iexact=email).exists()
    if (
        has_account
        or SignupRequest.objects.filter(email__iexact=email, status=RequestStatus.PENDING).exists()
    ):
        return _known_email(email=email, has_account=has_account)
    try:
        # The partial unique index settles two submissions of the same address at once.
        with transaction.atomic():
            signup_request = SignupRequest.objects.create(email=email, data=data, created_at=now)
            signup_attachments_store(signup_request=signup_request, documents=documents)
    except IntegrityError:
        return _known_email(email=email, has_account=False)
    logger.info("Account request %s received", signup_request.pk)
    # Nothing the visitor typed goes into the e-mail: the address has proven nothing yet,
    # and the commune's name must not carry a stranger's words to it.
    transaction.on_commit(
        partial(send_signup_email, name="request_received", context={}, to_address=email)
    )
    return signup_request


def _known_email(*, email: str, has_account: bool) -> None:
    logger.info("Account request for an address already known (account: %s)", has_account)
    transaction.on_commit(
        partial(
            send_signup_email,
            name="already_known",
            context={"has_account": has_account},
            to_address=email,
        )
    )


def _lock_for(signup_request: SignupRequest, to_status: str) -> SignupRequest:
    """The request, locked, once its table allows the decision."""
    locked = SignupRequest.objects.select_for_update().get(pk=signup_request.pk)
    MOVES.check(locked, to_status)
    return locked


def _guardian(*, family: Family, fields: dict, is_primary: bool, user=None) -> Guardian:
    return Guardian.objects.create(
        family=family,
        user=user,
        is_primary=is_primary,
        **{name: fields.get(name) or "" for name in GUARDIAN_FIELDS},
    )


def signup_request_accept(
    *, request: SignupRequest, actor, link_known: bool = False, validate_all: bool = False, now=None
) -> Family:
    """Create the family, its guardians, children (with their school and class), the
    primary guardian's login, and the documents sent with the request (pending).

    A child another household already has (same name and birth date, `requested_known`) is
    refused unless `link_known`: it is then linked to the new family (a second membership,
    as for separated parents), not created twice.

    With `validate_all`, staff validate in the same step the documents sent and, through
    the registered handlers, the children's administrative files: a complete family can
    book at once. All or nothing; the parent then receives a link to choose a password.
    """
    now = now or timezone.now()
    with transaction.atomic():
        signup_request = _lock_for(request, RequestStatus.ACCEPTED)
        data = signup_request.data
        primary = data["primary_guardian"]
        address = data["address"]
        if User.objects.filter(email__iexact=signup_request.email).exists():
            raise PortalError(
                _("An account already uses this e-mail address. Refuse this request.")
            )
        family = Family.objects.create(
            number=family_number_allocate(year=timezone.localdate(now).year),
            name=primary["last_name"].upper(),
            address_line=address["address_line"],
            postal_code=address["postal_code"],
            city=address["city"],
            created_at=now,
        )
        user = User(
            email=signup_request.email,
            first_name=primary["first_name"],
            last_name=primary["last_name"],
            date_joined=now,
        )
        user.set_unusable_password()
        user.save()
        _guardian(
            family=family,
            fields={**primary, "email": signup_request.email},
            is_primary=True,
            user=user,
        )
        if data.get("second_guardian"):
            _guardian(family=family, fields=data["second_guardian"], is_primary=False)
        children, linked = [], []
        for child_data in data["children"]:
            values = {
                "last_name": child_data["last_name"],
                "first_name": child_data["first_name"],
                "birth_date": datetime.date.fromisoformat(str(child_data["birth_date"])),
                "sex": child_data["sex"],
                "school": child_data.get("school") or "",
                "school_level": child_data.get("school_level") or "",
            }
            if known_children_of(family=family, values=values):
                # Refused (it would exist twice) unless staff link it.
                child = child_add(
                    family=family, values=values, actor=actor, link_known=link_known, now=now
                )
                linked.append(child)
            else:
                child = Child.objects.create(**values)
                ChildMembership.objects.create(child=child, family=family)
            children.append(child)
        signup_request.family = family
        MOVES.decide(signup_request, RequestStatus.ACCEPTED, actor=actor, now=now, also=["family"])
        documents = signup_attachments_transfer(
            signup_request=signup_request, family=family, children=children, actor=actor, now=now
        )
        if validate_all:
            signup_documents_validate(documents=documents, actor=actor, now=now)
        signup_accepted_run(
            family=family, children=children, actor=actor, now=now, validate=validate_all
        )
        # Without the alert's e-mail copy: the parent gets the set-password e-mail instead.
        family_tell(
            family,
            kind=AlertKind.ACCOUNT_ACCEPTED,
            title=gettext("Welcome to the family portal"),
            body=_welcome(linked),
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.ACCEPTED,
                gettext("Account request accepted"),
                data={
                    "signup_request": signup_request.pk,
                    "linked_children": [child.pk for child in linked],
                },
            ),
            email=False,
            now=now,
        )
        transaction.on_commit(partial(_send_set_password_email, user=user, now=now))
    logger.info(
        "Account request %s accepted by user %s: family %s",
        signup_request.pk,
        actor.pk,
        family.number,
    )
    _copy_decision(signup_request, request)
    return family


def _welcome(linked: list) -> str:
    body = gettext(
        "Your account is open. Complete your family file and send the supporting "
        "documents we ask for."
    )
    if linked:
        body += "\n" + gettext(
            "Already known in another household, %(names)s linked to your family: their file "
            "is shared, nothing was created twice."
        ) % {"names": ", ".join(str(child) for child in linked)}
    return body


def requested_known(signup_request: SignupRequest) -> list:
    """For each child of the request: the children of other households with the same name
    and birth date (an empty list when none), proposed to staff for linking."""
    return [
        known_children_of(family=None, values=child)
        for child in signup_request.data.get("children", [])
    ]


def _send_set_password_email(*, user: User, now) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_signup_email(
        name="accepted",
        context={
            "user": user,
            "set_password_url": absolute_url(path),
            "valid_until": now + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        },
        to_address=user.email,
    )


def signup_request_refuse(*, request: SignupRequest, actor, reason: str, now=None) -> SignupRequest:
    """Refuse the request; the reason is e-mailed to the address that asked."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(_("Give the reason for the refusal: the family will read it."))
    with transaction.atomic():
        signup_request = _lock_for(request, RequestStatus.REFUSED)
        MOVES.decide(signup_request, RequestStatus.REFUSED, actor=actor, reason=reason, now=now)
        signup_attachments_discard(signup_request)
        transaction.on_commit(
            partial(
                send_signup_email,
                name="refused",
                context={"signup_request": signup_request, "reason": reason},
                to_address=signup_request.email,
            )
        )
    logger.info("Account request %s refused by user %s", signup_request.pk, actor.pk)
    _copy_decision(signup_request, request)
    return signup_request


def _copy_decision(source: SignupRequest, target: SignupRequest) -> None:
    """Keep the caller's instance in step with the saved row."""
    for name in ("status", "decided_at", "decided_by_id", "refusal_reason", "family_id"):
        setattr(target, name, getattr(source, name))
