"""Staff screen « Demandes de modification »: read a family's change, accept or refuse it.

The buttons call the same services as the tests; no decision logic here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.views import InspectView

from core.choices import RequestStatus

from .. import admin_bulk
from ..admin_base import StaffModelAdmin
from ..admin_review import (
    DecisionAdminMixin,
    DecisionView,
    ReviewButtonHelper,
    ReviewPermissionHelper,
    refusal_form,
)
from ..models import ChangeRequest
from .display import ACTION_LABELS, change_rows
from .services import change_request_accept, change_request_refuse, request_action

TEMPLATES = "portal_features/change_requests/admin"


def review_context(change_request) -> dict:
    return {
        "rows": change_rows(change_request),
        "action_label": ACTION_LABELS[request_action(change_request.changes)[0]],
    }


class ChangeRequestInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**review_context(self.instance), **kwargs)


class ReviewView(DecisionView):
    """Base of the Accept and Refuse screens: they show the changes asked for."""

    def decision_context(self):
        return review_context(self.instance)


class AcceptView(ReviewView):
    page_title = _("Accept the change request")
    template_name = f"{TEMPLATES}/accept.html"

    def decide(self, data):
        change_request_accept(change_request=self.instance, actor=self.request.user)
        return _("Request accepted: the family file is updated.")


class RefuseView(ReviewView):
    page_title = _("Refuse the change request")
    template_name = f"{TEMPLATES}/refuse.html"
    form_class = refusal_form(_("The family reads it in its requests and alerts."))

    def decide(self, data):
        change_request_refuse(
            change_request=self.instance, actor=self.request.user, reason=data["reason"]
        )
        return _("Request refused: the family will read the reason.")


class BulkDecisionView(admin_bulk.BulkDecisionView):
    """Accept or refuse several change requests at once, each through its service."""

    page_title = _("Decide several requests")
    form_class = admin_bulk.BulkRequestForm
    template_name = "portal_features/admin/bulk_requests.html"
    empty_message = _("No change request is awaiting a decision.")

    def pending(self):
        return self.choosable().filter(status=RequestStatus.PENDING)

    def choosable(self):
        return ChangeRequest.objects.select_related("family").order_by("created_at", "pk")

    def label(self, change_request):
        return f"{change_request.family} – {change_request.summary}"

    def initial(self):
        return {"decision": admin_bulk.BulkRequestForm.ACCEPT}

    def decide(self, change_request, data):
        if data["decision"] == admin_bulk.BulkRequestForm.ACCEPT:
            change_request_accept(change_request=change_request, actor=self.request.user)
        else:
            change_request_refuse(
                change_request=change_request, actor=self.request.user, reason=data["reason"]
            )

    def summary(self, data, count):
        if data["decision"] == admin_bulk.BulkRequestForm.ACCEPT:
            message = _("%(count)d request(s) accepted: the family files are updated.")
        else:
            message = _("%(count)d request(s) refused: the families will read the reason.")
        return message % {"count": count}


class ChangeRequestAdmin(DecisionAdminMixin, StaffModelAdmin):
    model = ChangeRequest
    menu_label = _("Change requests")
    menu_icon = "edit"
    menu_order = 211
    add_to_admin_menu = True
    list_display = ("created_at", "family", "summary", "status")
    list_filter = ("status",)
    list_select_related = ("family",)
    search_fields = ("family__number", "family__name", "summary")
    index_view_class = admin_bulk.BulkIndexView
    index_template_name = "portal_features/admin/requests_index.html"
    inspect_view_enabled = True
    inspect_view_class = ChangeRequestInspectView
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    history_view_enabled = False
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = ReviewButtonHelper
    decision_views = (("accept", AcceptView), ("refuse", RefuseView))
    bulk_view_class = BulkDecisionView
