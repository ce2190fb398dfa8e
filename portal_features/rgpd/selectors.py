"""What the family's data export reads: everything scoped to the one family."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from ..alerts.kinds import kind_label
from ..family_file.selectors import household_children
from ..models import (
    DataExport,
    Message,
    SignupRequest,
)
from .registry import export_sections


def choice(instance, field: str) -> dict:
    return {
        "code": getattr(instance, field),
        "label": str(getattr(instance, f"get_{field}_display")()),
    }


def _family(family) -> dict:
    return {
        "number": family.number,
        "name": family.name,
        "status": choice(family, "status"),
        "address_line": family.address_line,
        "address_complement": family.address_complement,
        "postal_code": family.postal_code,
        "city": family.city,
        "is_resident": family.is_resident,
        "benefits_regime": choice(family, "benefits_regime"),
        "benefits_number": family.benefits_number,
        "bank_account_holder": family.bank_account_holder,
        "iban": family.iban,
        "bic": family.bic,
        "created_at": family.created_at,
    }


def _quotient(record) -> dict:
    """Every record, those replaced since included (with when)."""
    return {
        "value": record.value,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "source": choice(record, "source"),
        "recorded_at": record.recorded_at,
        "replaced_at": record.superseded_at,
    }


def _guardian(guardian) -> dict:
    user = guardian.user
    return {
        "is_primary": guardian.is_primary,
        "civility": choice(guardian, "civility"),
        "last_name": guardian.last_name,
        "first_name": guardian.first_name,
        "role": choice(guardian, "role"),
        "marital_status": guardian.marital_status,
        "address_line": guardian.address_line,
        "postal_code": guardian.postal_code,
        "city": guardian.city,
        "phone_mobile": guardian.phone_mobile,
        "phone_home": guardian.phone_home,
        "phone_work": guardian.phone_work,
        "email": guardian.email,
        "profession": guardian.profession,
        "employer": guardian.employer,
        "consents_to_email": guardian.consents_to_email,
        "consents_to_sms": guardian.consents_to_sms,
        "account": (
            {
                "email": user.email,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
            }
            if user
            else None
        ),
    }


def _health_record(child) -> dict | None:
    try:
        record = child.health_record
    except child._meta.model.health_record.RelatedObjectDoesNotExist:
        return None
    return {
        "allergies": record.allergies,
        "has_pai": record.has_pai,
        "pai_details": record.pai_details,
        "meal_type": choice(record, "meal_type"),
        "diet_notes": record.diet_notes,
        "wears_glasses": record.wears_glasses,
        "doctor_name": record.doctor_name,
        "doctor_phone": record.doctor_phone,
        "remarks": record.remarks,
        "updated_at": record.updated_at,
        "vaccinations": [
            {"vaccine": vaccination.vaccine, "date": vaccination.date}
            for vaccination in record.vaccinations.all()
        ],
    }


def _child(membership) -> dict:
    child = membership.child
    return {
        "id": child.pk,
        "last_name": child.last_name,
        "first_name": child.first_name,
        "birth_date": child.birth_date,
        "sex": choice(child, "sex"),
        "school": child.school,
        "school_level": child.school_level,
        "custody": {
            "code": membership.custody,
            "label": membership.custody_display,
            "weekdays": membership.custody_weekdays,
        },
        "custody_notes": membership.custody_notes,
        "health_record": _health_record(child),
        "consents": [
            {
                "consent": consent.consent_type.name,
                "granted": consent.granted,
                "updated_at": consent.updated_at,
            }
            for consent in child.consents.all()
        ],
        "authorized_persons": [
            {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "relationship": person.relationship,
                "phone": person.phone,
                "may_pick_up": person.may_pick_up,
                "emergency_contact": person.emergency_contact,
            }
            for person in child.household_authorized_persons
        ],
    }


def _event(event, guardian_names: dict) -> dict:
    """A line of the file's history; staff are named by their role, not by name."""
    if event.actor_id in guardian_names:
        by = guardian_names[event.actor_id]
    elif event.actor_id is not None:
        by = gettext("Staff of the commune")
    else:
        by = gettext("System")
    return {
        "at": event.created_at,
        "action": choice(event, "action"),
        "description": event.description,
        "by": by,
    }


def family_export_data(*, family) -> tuple[dict, list]:
    """The family's data as JSON-ready dicts, and [(entry, stored file)] for the archive.

    Each entry is the dict placed in the data; the export names its file in the archive.
    """
    files = []
    guardian_names = {
        guardian.user_id: guardian.full_name for guardian in family.guardians.exclude(user=None)
    }
    memberships = household_children(family)
    documents = []
    for document in family.documents.select_related("document_type", "child").order_by(
        "uploaded_at", "pk"
    ):
        entry = {
            "type": document.document_type.name,
            "child": str(document.child) if document.child else None,
            "original_name": document.original_name,
            "content_type": document.content_type,
            "size": document.size,
            "status": choice(document, "status"),
            "valid_from": document.valid_from,
            "valid_until": document.valid_until,
            "refusal_reason": document.refusal_reason,
            "uploaded_at": document.uploaded_at,
            "decided_at": document.decided_at,
            "_folder": "files/documents",
            "_id": f"document-{document.pk}.{document.file_extension}",
        }
        documents.append(entry)
        files.append((entry, document.file))

    threads = []
    for thread in family.threads.select_related("service", "theme").prefetch_related(
        Prefetch("messages", queryset=Message.objects.prefetch_related("attachments"))
    ):
        messages = []
        for message in thread.messages.all():
            attachments = []
            for attachment in message.attachments.all():
                entry = {
                    "original_name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "_folder": "files/messages",
                    "_id": f"attachment-{attachment.pk}.{attachment.file_extension}",
                }
                attachments.append(entry)
                files.append((entry, attachment.file))
            messages.append(
                {
                    "from_staff": message.from_staff,
                    "body": message.body,
                    "sent_at": message.sent_at,
                    "attachments": attachments,
                }
            )
        threads.append(
            {
                "service": thread.service.name,
                "theme": thread.theme.name,
                "subject": thread.subject,
                "created_at": thread.created_at,
                "messages": messages,
            }
        )

    signup = SignupRequest.objects.filter(family=family).first()
    data = {
        "family": _family(family),
        "quotients": [
            _quotient(record)
            for record in family.quotient_records.order_by("valid_from", "recorded_at", "pk")
        ],
        "guardians": [_guardian(g) for g in family.guardians.select_related("user")],
        "children": [_child(membership) for membership in memberships],
        "supporting_documents": documents,
        "change_requests": _change_requests(family, files),
        "conversations": threads,
        "alerts": [
            {
                "kind": {"code": notification.kind, "label": str(kind_label(notification.kind))},
                "title": notification.title,
                "body": notification.body,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
            }
            for notification in family.notifications.all()
        ],
        "history": [_event(event, guardian_names) for event in family.events.all()],
        "account_request": (
            {
                "email": signup.email,
                "data": signup.data,
                "status": choice(signup, "status"),
                "created_at": signup.created_at,
                "decided_at": signup.decided_at,
            }
            if signup
            else None
        ),
    }
    for key, builder in export_sections().items():
        section, section_files = builder(family)
        data[key] = section
        files.extend(section_files)
    return data, files


def _change_requests(family, files: list) -> list[dict]:
    """The family's change requests, with the documents a new child's request still holds."""
    requests = []
    for request in family.change_requests.prefetch_related("attachments").order_by(
        "created_at", "pk"
    ):
        attachments = []
        for attachment in request.attachments.all():
            entry = {
                "original_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "_folder": "files/requests",
                "_id": f"request-{attachment.pk}.{attachment.file_extension}",
            }
            attachments.append(entry)
            files.append((entry, attachment.file))
        requests.append(
            {
                "summary": request.summary,
                "changes": request.changes,
                "status": choice(request, "status"),
                "created_at": request.created_at,
                "decided_at": request.decided_at,
                "refusal_reason": request.refusal_reason,
                "attachments": attachments,
            }
        )
    return requests


def latest_data_export(*, family) -> DataExport | None:
    """The family's last export, for the status on « Mes données »."""
    return DataExport.objects.for_family(family).order_by("-requested_at", "-pk").first()


def data_export_for_download(*, family, export_id: int, now) -> DataExport:
    """One of the family's exports whose link is still valid, or 404 (another family's id,
    an export not ready, expired or deleted)."""
    export = get_object_or_404(
        DataExport.objects.for_family(family).select_related("family"), pk=export_id
    )
    if not export.is_downloadable(now):
        raise Http404
    return export
