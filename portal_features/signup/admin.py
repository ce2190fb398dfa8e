"""Staff screen « Demandes de compte »: list, read, accept or refuse account requests.

The Accept and Refuse buttons call the same services as the tests; no decision logic here.
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
from ..models import Child, Guardian, SignupRequest
from .services import signup_request_accept, signup_request_refuse

TEMPLATES = "portal_features/signup/admin"


def readable_request(signup_request) -> dict:
    """The stored form data with the labels of its choices, for staff to read."""
    data = signup_request.data
    civilities = dict(Guardian.Civility.choices)
    roles = dict(Guardian.Role.choices)
    sexes = dict(Child.Sex.choices)

    def guardian(fields):
        if not fields:
            return None
        return {
            **fields,
            "civility_label": civilities.get(fields.get("civility"), ""),
            "role_label": roles.get(fields.get("role"), ""),
        }

    return {
        "primary_guardian": guardian(data.get("primary_guardian")),
        "second_guardian": guardian(data.get("second_guardian")),
        "address": data.get("address") or {},
        "children": [
            {**child, "sex_label": sexes.get(child.get("sex"), "")}
            for child in data.get("children", [])
        ],
    }


class SignupRequestInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(request_data=readable_request(self.instance), **kwargs)


class ReviewView(DecisionView):
    """Base of the Accept and Refuse screens: they show the request as the family sent it."""

    def get_page_subtitle(self):
        return readable_request(self.instance)["primary_guardian"]["last_name"]

    def decision_context(self):
        return {"request_data": readable_request(self.instance)}


class AcceptView(ReviewView):
    page_title = _("Accept the account request")
    template_name = f"{TEMPLATES}/accept.html"

    def decide(self, data):
        family = signup_request_accept(request=self.instance, actor=self.request.user)
        return _("Request accepted: family %(number)s created, set-password e-mail sent.") % {
            "number": family.number
        }


class RefuseView(ReviewView):
    page_title = _("Refuse the account request")
    template_name = f"{TEMPLATES}/refuse.html"
    form_class = refusal_form(_("Sent to the family by e-mail."))

    def decide(self, data):
        signup_request_refuse(request=self.instance, actor=self.request.user, reason=data["reason"])
        return _("Request refused: the family was told the reason by e-mail.")


def request_name(signup_request) -> str:
    primary = signup_request.data.get("primary_guardian") or {}
    return f"{primary.get('last_name', '').upper()} {primary.get('first_name', '')}".strip()


class BulkDecisionView(admin_bulk.BulkDecisionView):
    """Accept or refuse several account requests at once, each through its service."""

    page_title = _("Decide several requests")
    form_class = admin_bulk.BulkRequestForm
    template_name = "portal_features/admin/bulk_requests.html"
    empty_message = _("No account request is awaiting a decision.")

    def pending(self):
        return SignupRequest.objects.filter(status=RequestStatus.PENDING).order_by(
            "created_at", "pk"
        )

    def choosable(self):
        return SignupRequest.objects.order_by("created_at", "pk")

    def label(self, signup_request):
        return f"{request_name(signup_request)} ({signup_request.email})"

    def initial(self):
        return {"decision": admin_bulk.BulkRequestForm.ACCEPT}

    def decide(self, signup_request, data):
        if data["decision"] == admin_bulk.BulkRequestForm.ACCEPT:
            signup_request_accept(request=signup_request, actor=self.request.user)
        else:
            signup_request_refuse(
                request=signup_request, actor=self.request.user, reason=data["reason"]
            )

    def summary(self, data, count):
        if data["decision"] == admin_bulk.BulkRequestForm.ACCEPT:
            message = _(
                "%(count)d request(s) accepted: families created, set-password e-mails sent."
            )
        else:
            message = _(
                "%(count)d request(s) refused: the families were told the reason by e-mail."
            )
        return message % {"count": count}


class SignupRequestAdmin(DecisionAdminMixin, StaffModelAdmin):
    model = SignupRequest
    menu_label = _("Account requests")
    menu_icon = "group"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ("created_at", "email", "family_name", "children_count", "status")
    list_filter = ("status",)
    search_fields = (
        "email",
        "data__primary_guardian__last_name",
        "data__primary_guardian__first_name",
    )
    index_view_class = admin_bulk.BulkIndexView
    index_template_name = "portal_features/admin/requests_index.html"
    inspect_view_enabled = True
    inspect_view_class = SignupRequestInspectView
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    history_view_enabled = False
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = ReviewButtonHelper
    decision_views = (("accept", AcceptView), ("refuse", RefuseView))
    bulk_view_class = BulkDecisionView

    @staticmethod
    def family_name(obj):
        return request_name(obj)

    family_name.short_description = _("Name")

    @staticmethod
    def children_count(obj):
        return len(obj.data.get("children", []))

    children_count.short_description = _("Children")
