"""How every demo family comes in: as a real household does, through « Nouveau dossier ».

The parent sends the request with each child's school and class and the documents asked
(`signup_request_submit`), an Enfance agent accepts it (`signup_request_accept`: the family,
its guardians, children, the parent's login and the documents, pending), and the parent
chooses the password the acceptance e-mail asks for (Django's set-password form). The
documents are then validated by staff for the school year (`demo/documents.py`) and the
administrative files sent and validated in June (`demo/reservations.py`), as in the portal.

A family is looked for by its request (or, in a demo built before, by its login) first, so
a second run adds nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from core.choices import RequestStatus
from portal_features.models import DocumentType, Family, SignupRequest
from portal_features.signup.services import signup_request_accept, signup_request_submit

from .pdf import demo_pdf


@dataclass(frozen=True)
class NewChild:
    last_name: str
    first_name: str
    birth_date: datetime.date
    sex: str
    school_level: str
    school: str = "École Jules-Ferry"


@dataclass(frozen=True)
class Household:
    """What the « Nouveau dossier » form asks; `not_sent`: document types left out."""

    email: str
    civility: str
    last_name: str
    first_name: str
    role: str
    phone_mobile: str
    address_line: str
    postal_code: str
    city: str
    children: tuple[NewChild, ...]
    second_guardian: dict | None = None
    not_sent: tuple[str, ...] = field(default_factory=tuple)


def _data(household: Household) -> dict:
    """The form's cleaned data, as the sign-up view hands it to the service."""
    return {
        "primary_guardian": {
            "civility": household.civility,
            "last_name": household.last_name,
            "first_name": household.first_name,
            "role": household.role,
            "email": household.email,
            "phone_mobile": household.phone_mobile,
        },
        "second_guardian": household.second_guardian,
        "address": {
            "address_line": household.address_line,
            "postal_code": household.postal_code,
            "city": household.city,
        },
        "children": [
            {
                "last_name": child.last_name,
                "first_name": child.first_name,
                "birth_date": child.birth_date.isoformat(),
                "sex": child.sex,
                "school": child.school,
                "school_level": child.school_level,
            }
            for child in household.children
        ],
    }


def _documents(household: Household) -> list:
    """The required documents, one per child for a child's: (child's place, type, file)."""
    documents = []
    required = DocumentType.objects.filter(is_required=True).order_by("sort_order", "pk")
    for document_type in required.exclude(name__in=household.not_sent):
        if document_type.scope == DocumentType.Scope.CHILD:
            places = range(len(household.children))
        else:
            places = [None]
        documents += [(place, document_type, demo_pdf(document_type.name)) for place in places]
    return documents


def signup_sent(household: Household, *, sent: datetime.datetime) -> SignupRequest | None:
    """The request as the form sends it, with its documents (None: the address is known)."""
    return signup_request_submit(
        data=_data(household), email=household.email, documents=_documents(household), now=sent
    )


def family_signed_up(
    household: Household,
    *,
    staff,
    sent: datetime.datetime,
    decided: datetime.datetime,
    password: str | None = None,
    link_known: bool = False,
) -> Family:
    """The household's family: asked for at `sent`, accepted by `staff` at `decided` (with
    `link_known`, its children already known in another household linked); with
    `password`, the parent then chose it from the acceptance e-mail's link."""
    known = Family.objects.filter(guardians__user__email=household.email).first()
    if known is not None:
        return known
    signup_request = (
        SignupRequest.objects.filter(email=household.email)
        .exclude(status=RequestStatus.REFUSED)
        .first()
    )
    if signup_request is None:
        signup_request = signup_sent(household, sent=sent)
    family = signup_request_accept(
        request=signup_request, actor=staff, link_known=link_known, now=decided
    )
    if password:
        user = get_user_model().objects.get(email=household.email)
        form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
        if not form.is_valid():
            raise ValueError(form.errors.as_text())
        form.save()
    return family
