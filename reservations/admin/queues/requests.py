"""« Dossiers administratifs » and « Inscriptions »: the queues of enrolments (a child's
file for a school year) and registrations (a child in an activity's group)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.staff import also_validate_field, calls, date_range_filter
from core.time import local_today
from portal_features.documents.selectors import pending_documents_relied_on

from ...models import Enrolment, Registration
from ...services import requests
from ..filters import SchoolYearFilter, activity_filter
from .common import RequestsQueue, accept, family_name, field_label, moment, refuse


class EnrolmentAcceptForm(forms.Form):
    validate_documents = also_validate_field(
        _("Also validate the documents it waits for"),
        _(
            "The documents sent and awaiting validation listed above are validated from today "
            "for their type's default validity, with the file. Untick to validate them from "
            "their own screen first."
        ),
    )


class EnrolmentQueue(RequestsQueue):
    model = Enrolment
    base_url_path = "reservations/queues/enrolments"
    menu_label = _("Administrative files")
    menu_icon = "folder-open-inverse"
    list_display = ("created_at", "family_column", "child", "school_year", "status")
    filters = (SchoolYearFilter, date_range_filter("created_at__date", _("asked on")))
    decisions = (
        accept(
            calls(requests.enrolment_accept, "enrolment_id", pk=True),
            _("Administrative file validated; the family is told."),
            _("%(count)d administrative file(s) validated; the families are told."),
            form=EnrolmentAcceptForm,
            bulk_form=EnrolmentAcceptForm,
        ),
        refuse(
            calls(requests.enrolment_refuse, "enrolment_id", pk=True),
            _("Administrative file refused; the family reads the reason."),
            _("%(count)d administrative file(s) refused; the families read the reason."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "child", "school_year", "decided_by")

    def label(self, item):
        return f"{family_name(item.family)} – {item.child} – {item.school_year}"

    def rows(self, item):
        return [
            (field_label(Enrolment, "family"), family_name(item.family)),
            (field_label(Enrolment, "child"), item.child),
            (field_label(Enrolment, "school_year"), item.school_year),
            (field_label(Enrolment, "created_at"), moment(item.created_at)),
            (field_label(Enrolment, "comment"), item.comment or "—"),
            (field_label(Enrolment, "status"), item.get_status_display()),
            *self.pending_documents_rows(item),
            *self.decision_rows(item),
        ]

    def pending_documents_rows(self, item) -> list[tuple[str, object]]:
        """While the file waits: the documents sent that it waits for."""
        if not self.is_pending(item):
            return []
        on = max(local_today(timezone.now()), item.school_year.start_date)
        pending = pending_documents_relied_on(item.family, on=on, child=item.child)
        names = ", ".join(
            f"{document.document_type.name}"
            + (f" – {document.child.first_name}" if document.child else "")
            + f" ({document.original_name})"
            for document in pending
        )
        return [(_("Documents awaiting validation"), names or "—")]


class RegistrationQueue(RequestsQueue):
    model = Registration
    base_url_path = "reservations/queues/registrations"
    menu_label = _("Registrations")
    menu_icon = "list-ul"
    list_display = ("created_at", "family_column", "child", "activity", "group", "status")
    filters = (
        activity_filter("activity_id"),
        date_range_filter("created_at__date", _("asked on")),
    )
    decisions = (
        accept(
            calls(requests.registration_accept, "registration_id", pk=True),
            _("Registration validated; the family is told."),
            _("%(count)d registration(s) validated; the families are told."),
        ),
        refuse(
            calls(requests.registration_refuse, "registration_id", pk=True),
            _("Registration refused; the family reads the reason."),
            _("%(count)d registration(s) refused; the families read the reason."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "child", "activity", "group", "decided_by")

    def label(self, item):
        return f"{family_name(item.family)} – {item.child} – {item.activity} ({item.group.name})"

    def rows(self, item):
        return [
            (field_label(Registration, "family"), family_name(item.family)),
            (field_label(Registration, "child"), item.child),
            (field_label(Registration, "activity"), item.activity),
            (field_label(Registration, "group"), item.group.name),
            (field_label(Registration, "created_at"), moment(item.created_at)),
            (field_label(Registration, "status"), item.get_status_display()),
            *self.decision_rows(item),
        ]
