"""Anonymising a departed family (RGPD: no personal data kept longer than needed).

What stays, because accounting law keeps it ten years: the family's row and number (the
invoices and payments name it), its invoices, credit notes and payments with their numbers,
amounts, lines and PDFs (invoicing/rgpd.py), the reservations and orders they bill
(reservations/rgpd.py), and the rows of the children and guardians they point to, blanked.

What goes or is blanked: names (the family's becomes « Famille anonymisée »), addresses,
phones, e-mails, bank details, the CAF number, the quotient records, the logins (disabled,
their e-mail replaced), the health records and vaccinations, consents, authorised persons,
the supporting documents' files and names, the conversations and their attachments, the
change and account requests, the alerts, the data exports and the file's history (one line
says when and by whom it was anonymised). A child who also lives in a household that is
not anonymised keeps its identity: only this household's data about it goes.

Staff anonymise one family from its file (« Anonymiser »); `manage.py anonymise_departed`
anonymises those with no activity for three years (`--years`). A family that still owes
money is refused (invoicing registers that check).
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage

from ..audit import family_event_record
from ..errors import PortalError
from ..models import (
    AuthorizedPerson,
    ChangeRequest,
    ChangeRequestAttachment,
    Child,
    ChildMembership,
    Consent,
    DataExport,
    Family,
    FamilyEvent,
    Guardian,
    HealthRecord,
    Message,
    MessageAttachment,
    Notification,
    QuotientRecord,
    SignupRequest,
    SupportingDocument,
    Thread,
)
from .registry import activity_sources, anonymisation_blockers, anonymisers

logger = logging.getLogger(__name__)

DEFAULT_YEARS = 3
ALREADY = _("This family is already anonymised.")


def anonymised_name() -> str:
    """« Famille anonymisée », in the site's language whoever runs it (a command runs in
    no particular language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Anonymised family")


def anonymised_person() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Anonymised")


def family_last_activity(family: Family) -> datetime.datetime:
    """The latest sign of life: the file's creation, a login, a document, a message, a
    request, or what the apps above register (a booked day, an order, an invoice…)."""
    moments = [
        family.created_at,
        family.guardians.aggregate(last=Max("user__last_login"))["last"],
        family.documents.aggregate(last=Max("uploaded_at"))["last"],
        Message.objects.filter(thread__family=family).aggregate(last=Max("sent_at"))["last"],
        family.change_requests.aggregate(last=Max("created_at"))["last"],
    ]
    moments.extend(source(family) for source in activity_sources())
    return max(moment for moment in moments if moment)


def years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def departed_families(*, years: int = DEFAULT_YEARS, now=None) -> list[Family]:
    """Families not anonymised yet whose last activity is more than `years` ago."""
    now = now or timezone.now()
    limit = years_before(now, years)
    candidates = Family.objects.exclude(status=Family.Status.ANONYMISED).order_by("number")
    return [family for family in candidates if family_last_activity(family) < limit]


def anonymisation_refusal(family: Family, now=None) -> str | None:
    """Why the family cannot be anonymised now, or None."""
    if family.status == Family.Status.ANONYMISED:
        return str(ALREADY)
    now = now or timezone.now()
    for blocker in anonymisation_blockers():
        reason = blocker(family, now)
        if reason:
            return reason
    return None


def _users(family: Family) -> None:
    for guardian in family.guardians.exclude(user=None).select_related("user"):
        user = guardian.user
        user.email = f"anonymised-{user.pk}@invalid"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])


def _guardians(family: Family) -> None:
    Guardian.objects.filter(family=family).update(
        user=None,
        last_name=anonymised_person(),
        first_name="",
        marital_status="",
        address_line="",
        postal_code="",
        city="",
        phone_mobile="",
        phone_home="",
        phone_work="",
        email="",
        profession="",
        employer="",
        consents_to_email=False,
        consents_to_sms=False,
    )


def _children(family: Family) -> None:
    """Children living only in anonymised households lose their identity and health data;
    a child another live household still has keeps them."""
    AuthorizedPerson.objects.filter(family=family).delete()
    ChildMembership.objects.filter(family=family).update(
        custody_notes="", custody="none", custody_weekdays=[]
    )
    others = ChildMembership.objects.exclude(family=family).exclude(
        family__status=Family.Status.ANONYMISED
    )
    alone = Child.objects.filter(memberships__family=family).exclude(
        pk__in=others.values("child_id")
    )
    for child in alone:
        child.first_name = ""
        child.last_name = anonymised_person()
        child.birth_date = child.birth_date.replace(month=1, day=1)  # the age band stays
        child.school = ""
        child.school_level = ""
        child.save(
            update_fields=["first_name", "last_name", "birth_date", "school", "school_level"]
        )
    HealthRecord.objects.filter(child__in=alone).delete()  # and its vaccinations
    Consent.objects.filter(child__in=alone).delete()


def _files(family: Family, now) -> list[str]:
    """Blank every private file's row of the family; the names to delete after commit."""
    documents = SupportingDocument.objects.filter(family=family)
    names = list(documents.exclude(file="").values_list("file", flat=True))
    documents.update(file="", original_name="", refusal_reason="", file_deleted_at=now)
    attachments = MessageAttachment.objects.filter(message__thread__family=family)
    names += list(attachments.exclude(file="").values_list("file", flat=True))
    Thread.objects.filter(family=family).delete()  # its messages and attachments
    exports = DataExport.objects.filter(family=family)
    names += list(exports.exclude(file="").values_list("file", flat=True))
    exports.delete()
    # A new child's documents still awaiting staff's decision; their rows go with the requests.
    sent = ChangeRequestAttachment.objects.filter(change_request__family=family)
    names += list(sent.exclude(file="").values_list("file", flat=True))
    return names


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s after anonymising", name)


def family_anonymise(*, family: Family, actor=None, now=None) -> Family:
    """Anonymise the family (see the module's docstring); PortalError if it may not be."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Family.objects.select_for_update().get(pk=family.pk)
        refusal = anonymisation_refusal(locked, now)
        if refusal:
            raise PortalError(refusal)
        _users(locked)
        _guardians(locked)
        _children(locked)
        names = _files(locked, now)
        for anonymiser in anonymisers():
            names += anonymiser(locked, now)
        QuotientRecord.objects.filter(family=locked).delete()
        ChangeRequest.objects.filter(family=locked).delete()
        Notification.objects.filter(family=locked).delete()
        SignupRequest.objects.filter(family=locked).update(
            email=f"anonymised-family-{locked.pk}@invalid", data={}
        )
        FamilyEvent.objects.filter(family=locked).delete()
        for name in (
            "address_line",
            "address_complement",
            "postal_code",
            "city",
            "benefits_number",
            "bank_account_holder",
            "iban",
            "bic",
        ):
            setattr(locked, name, "")
        locked.name = anonymised_name()
        locked.status = Family.Status.ANONYMISED
        locked.save()
        family_event_record(
            family=locked,
            actor=actor,
            action=FamilyEvent.Action.CHANGED,
            description=gettext("Family file anonymised."),
            now=now,
        )
        transaction.on_commit(partial(_delete_files, names))
    logger.info("Family %s anonymised", locked.number)
    return locked
