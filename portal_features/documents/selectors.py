"""Reads of a family's supporting documents, always scoped to that family.

The checklist costs three queries whatever the family's size: the document types, the
family's children and the family's documents (with their type and child).
"""

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext

from ..models import Child, DocumentType, SupportingDocument

EXPIRING_SOON_DAYS = 30


class LineState:
    MISSING = "missing"
    PENDING = "pending"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REFUSED = "refused"


# What the family must act on, shown first on the checklist.
TO_ACT_ON = (LineState.MISSING, LineState.REFUSED, LineState.EXPIRED, LineState.EXPIRING)
STATE_ORDER = {
    LineState.MISSING: 0,
    LineState.REFUSED: 1,
    LineState.EXPIRED: 2,
    LineState.EXPIRING: 3,
    LineState.PENDING: 4,
    LineState.VALID: 5,
}


def slot_key(document_type_id: int, child_id: int | None) -> str:
    """How the upload form names "this type, for this child" (e.g. "3" or "3:12")."""
    return f"{document_type_id}:{child_id}" if child_id else str(document_type_id)


@dataclass
class ChecklistLine:
    document_type: DocumentType
    child: Child | None
    state: str
    # The document the state comes from (None when missing).
    document: SupportingDocument | None = None
    # A document valid today, when the state is about a newer one (e.g. a renewal pending).
    current: SupportingDocument | None = None
    documents: list = field(default_factory=list)

    @property
    def slot(self) -> str:
        return slot_key(self.document_type.pk, self.child.pk if self.child else None)

    @property
    def label(self) -> str:
        if self.child is None:
            return self.document_type.name
        return f"{self.document_type.name} – {self.child.first_name}"

    @property
    def validity(self) -> str:
        return validity_text(self.document) if self.document and self.document.valid_from else ""

    @property
    def current_validity(self) -> str:
        return validity_text(self.current) if self.current else ""

    @property
    def needs_action(self) -> bool:
        return self.state in TO_ACT_ON

    @property
    def level(self) -> str:
        return "warning" if self.state == LineState.EXPIRING else "error"


@dataclass
class Checklist:
    lines: list[ChecklistLine]
    other_documents: list[SupportingDocument]
    children: list[Child]
    document_types: list[DocumentType]

    @property
    def to_act_on(self) -> list[ChecklistLine]:
        return [line for line in self.lines if line.needs_action]


def validity_text(document: SupportingDocument) -> str:
    """« Valide du 01/09/2026 au 31/08/2027 » (or « à partir du … » with no end)."""
    start = date_format(document.valid_from, "SHORT_DATE_FORMAT")
    if document.valid_until is None:
        return gettext("Valid from %(start)s") % {"start": start}
    return gettext("Valid from %(start)s to %(end)s") % {
        "start": start,
        "end": date_format(document.valid_until, "SHORT_DATE_FORMAT"),
    }


def _covers(document: SupportingDocument, day: datetime.date) -> bool:
    return document.status == SupportingDocument.Status.VALID and (
        document.valid_until is None or day <= document.valid_until
    )


def _line_state(documents: list, today: datetime.date) -> tuple[str, object, object]:
    """(state, document, current) of one type/child from its documents, newest first."""
    valid = [
        doc
        for doc in documents
        if doc.status == SupportingDocument.Status.VALID and _covers(doc, today)
    ]
    # The validity that lasts longest is the one that counts.
    current = max(valid, key=lambda doc: doc.valid_until or datetime.date.max, default=None)
    soon = today + datetime.timedelta(days=EXPIRING_SOON_DAYS)
    if current is not None and (current.valid_until is None or current.valid_until > soon):
        return LineState.VALID, current, None
    pending = next(
        (doc for doc in documents if doc.status == SupportingDocument.Status.PENDING), None
    )
    if pending is not None:
        return LineState.PENDING, pending, current
    if current is not None:
        return LineState.EXPIRING, current, None
    if documents and documents[0].status == SupportingDocument.Status.REFUSED:
        return LineState.REFUSED, documents[0], None
    expired = next(
        (doc for doc in documents if doc.status == SupportingDocument.Status.VALID), None
    )
    if expired is not None:
        return LineState.EXPIRED, expired, None
    return LineState.MISSING, None, None


def document_checklist(family, *, today: datetime.date) -> Checklist:
    """Each required document (once for the family, or once per child) with its state on
    `today`, what to act on first; then the family's documents of other types."""
    document_types = list(DocumentType.objects.all())
    children = list(Child.objects.for_family(family).order_by("birth_date", "first_name", "pk"))
    documents = list(
        SupportingDocument.objects.for_family(family)
        .select_related("document_type", "child")
        .order_by("-uploaded_at", "-pk")
    )
    by_slot: dict[tuple, list] = {}
    for document in documents:
        by_slot.setdefault((document.document_type_id, document.child_id), []).append(document)

    lines = []
    used_slots = set()
    for document_type in document_types:
        if not document_type.is_required:
            continue
        owners = [None] if document_type.scope == DocumentType.Scope.FAMILY else children
        for child in owners:
            key = (document_type.pk, child.pk if child else None)
            used_slots.add(key)
            slot_documents = by_slot.get(key, [])
            state, document, current = _line_state(slot_documents, today)
            lines.append(
                ChecklistLine(
                    document_type=document_type,
                    child=child,
                    state=state,
                    document=document,
                    current=current,
                    documents=slot_documents,
                )
            )
    lines.sort(key=lambda line: STATE_ORDER[line.state])  # stable: types' order kept
    others = [
        document
        for document in documents
        if (document.document_type_id, document.child_id) not in used_slots
    ]
    return Checklist(
        lines=lines, other_documents=others, children=children, document_types=document_types
    )


def missing_required_documents(
    family, *, on: datetime.date, child=None, pending_ok: bool = False
) -> list[str]:
    """Why the family's required documents are not in order on the day `on`, one sentence
    per missing, pending, refused or expired document (empty when all is in order). With
    `child`, only the family's own documents and that child's count; with `pending_ok`, a
    document sent and awaiting validation counts as in order (the family has done its part)."""
    reasons = []
    for line in document_checklist(family, today=on).lines:
        if child is not None and line.child is not None and line.child.pk != child.pk:
            continue
        if any(document.is_valid_on(on) for document in line.documents):
            continue
        label = line.label
        if line.state == LineState.PENDING and pending_ok:
            continue
        if line.state == LineState.PENDING:
            reasons.append(
                gettext("%(document)s: sent, awaiting validation by the service.")
                % {"document": label}
            )
        elif line.state == LineState.REFUSED:
            reasons.append(
                gettext("%(document)s: refused, please send it again.") % {"document": label}
            )
        elif line.state == LineState.EXPIRED:
            reasons.append(
                gettext("%(document)s: expired, please send a new one.") % {"document": label}
            )
        elif line.state == LineState.MISSING:
            reasons.append(gettext("%(document)s: missing.") % {"document": label})
        else:
            reasons.append(
                gettext("%(document)s: not valid on %(date)s.")
                % {"document": label, "date": date_format(on, "SHORT_DATE_FORMAT")}
            )
    return reasons


def pending_documents_relied_on(family, *, on: datetime.date, child=None) -> list:
    """The documents sent and awaiting validation that the required documents wait for on
    `on` (with `child`: the family's own and that child's), which staff may validate with
    the administrative file."""
    pending = []
    for line in document_checklist(family, today=on).lines:
        if child is not None and line.child is not None and line.child.pk != child.pk:
            continue
        if any(document.is_valid_on(on) for document in line.documents):
            continue
        if line.state == LineState.PENDING:
            pending.append(line.document)
    return pending


def document_for_family(*, family, document_id: int) -> SupportingDocument:
    """One of the family's documents, or 404 (another family's id included)."""
    return get_object_or_404(SupportingDocument.objects.for_family(family), pk=document_id)
