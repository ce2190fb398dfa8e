"""Staff screen « Demandes de modification »: read a family's change, accept or refuse it.

A queue of the staff-screen kit: the buttons call the same services as the tests; no
decision logic here.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.staff import (
    Decision,
    PrivateFile,
    Queue,
    accept_decision,
    also_validate_field,
    calls,
    refuse_decision,
)

from ..models import ChangeRequest, ChangeRequestAttachment
from .display import ACTION_LABELS, change_rows, requested_child_known
from .services import CREATE, change_request_accept, change_request_refuse, request_action

TEMPLATES = "portal_features/change_requests/admin"


class AcceptForm(forms.Form):
    """As for an account request: a new child's documents and administrative file are
    validated with the child, unless staff untick it."""

    validate_all = also_validate_field(
        _("Also validate the documents sent and the administrative file (a new child)"),
        _(
            "Each document is valid from today for its type's default validity; the "
            "administrative file the family sent is validated when the required documents "
            "are. Untick to validate them later from their own screens. Other changes are "
            "not concerned."
        ),
    )


class ChangeRequestAdmin(Queue):
    model = ChangeRequest
    menu_label = _("Change requests")
    menu_icon = "edit"
    menu_order = 211
    add_to_admin_menu = True
    list_display = ("created_at", "family", "summary", "status")
    filters = ("status",)
    list_select_related = ("family",)
    search_fields = ("family__number", "family__name", "summary")
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    item_template = f"{TEMPLATES}/_changes.html"
    bulk_empty_message = _("No change request is awaiting a decision.")
    bulk_ordering = ("created_at", "pk")
    private_files = (PrivateFile(action="attachment", model=ChangeRequestAttachment),)
    decisions = (
        accept_decision(
            calls(change_request_accept, "change_request"),
            title=_("Accept the change request"),
            form=AcceptForm,
            bulk_form=AcceptForm,
            explanation=_(
                "Accepting applies every change above to the family file at once; the family "
                "is told. A new child: read its documents above before validating them with "
                "its administrative file; the family can then register it at once."
            ),
            button=_("Yes, accept"),
            done=_("Request accepted: the family file is updated."),
            done_many=_("%(count)d request(s) accepted: the family files are updated."),
        ),
        Decision(
            code="link",
            label=_("Link the known child"),
            service=calls(change_request_accept, "change_request", link_known=True),
            form=AcceptForm,
            bulk_form=AcceptForm,
            title=_("Link the child already known in another household"),
            explanation=_(
                "The child another household already has is added to this family (as for "
                "separated parents) instead of being created twice; the family is told."
            ),
            button=_("Yes, link"),
            done=_("Request accepted: the known child is linked to the family."),
            done_many=_("%(count)d request(s) accepted: the known children are linked."),
        ),
        refuse_decision(
            calls(change_request_refuse, "change_request"),
            reason_help=_("The family reads it in its requests and alerts."),
            title=_("Refuse the change request"),
            done=_("Request refused: the family will read the reason."),
            done_many=_("%(count)d request(s) refused: the families will read the reason."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family")

    def label(self, change_request):
        return f"{change_request.family} – {change_request.summary}"

    def item_context(self, change_request, request):
        action, model_name = request_action(change_request.changes)
        return {
            "rows": change_rows(change_request),
            "action_label": ACTION_LABELS[action],
            "known_children": requested_child_known(change_request),
            "new_child": (action, model_name) == (CREATE, "child"),
            "attachments": [
                {
                    "attachment": attachment,
                    "url": self.url_helper.get_action_url("attachment", attachment.pk),
                }
                for attachment in change_request.attachments.select_related("document_type")
            ],
        }

    def bulk_items_label(self):
        return _("Requests")
