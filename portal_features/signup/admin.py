"""Staff screen « Demandes de compte »: list, read, accept or refuse account requests.

The Accept and Refuse buttons call the same services as the tests; no decision logic here.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView, InstanceSpecificView

from .. import admin_bulk
from ..admin_review import ReviewButtonHelper, ReviewPermissionHelper
from ..errors import PortalError
from ..models import Child, Guardian, SignupRequest
from ..models.requests import RequestStatus
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


class ReviewView(InstanceSpecificView):
    """Base of the Accept and Refuse screens: only for staff who may change requests."""

    template_name = None

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def get_page_subtitle(self):
        return readable_request(self.instance)["primary_guardian"]["last_name"]

    def get_template_names(self):
        return [self.template_name]

    def render(self, **context):
        return TemplateResponse(
            self.request,
            self.get_template_names(),
            self.get_context_data(request_data=readable_request(self.instance), **context),
        )

    def decided(self, message):
        messages.success(self.request, message)
        return redirect(self.index_url)

    def refused_by_service(self, error):
        messages.error(self.request, error.message)
        return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))


class AcceptView(ReviewView):
    page_title = _("Accept the account request")
    template_name = f"{TEMPLATES}/accept.html"

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        try:
            family = signup_request_accept(request=self.instance, staff_user=request.user)
        except PortalError as error:
            return self.refused_by_service(error)
        return self.decided(
            _("Request accepted: family %(number)s created, set-password e-mail sent.")
            % {"number": family.number}
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        help_text=_("Sent to the family by e-mail."),
        widget=forms.Textarea({"rows": 5}),
    )


class RefuseView(ReviewView):
    page_title = _("Refuse the account request")
    template_name = f"{TEMPLATES}/refuse.html"

    def get(self, request, *args, **kwargs):
        return self.render(form=RefusalForm())

    def post(self, request, *args, **kwargs):
        form = RefusalForm(request.POST)
        if not form.is_valid():
            return self.render(form=form)
        try:
            signup_request_refuse(
                request=self.instance, staff_user=request.user, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            return self.refused_by_service(error)
        return self.decided(_("Request refused: the family was told the reason by e-mail."))


def request_name(signup_request) -> str:
    primary = signup_request.data.get("primary_guardian") or {}
    return f"{primary.get('last_name', '').upper()} {primary.get('first_name', '')}".strip()


class BulkDecisionView(admin_bulk.BulkDecisionView):
    """Accept or refuse several account requests at once, each through its service."""

    page_title = _("Decide several requests")
    form_class = admin_bulk.BulkRequestForm
    template_name = f"{TEMPLATES}/bulk.html"

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
            signup_request_accept(request=signup_request, staff_user=self.request.user)
        else:
            signup_request_refuse(
                request=signup_request, staff_user=self.request.user, reason=data["reason"]
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


class SignupRequestAdmin(ModelAdmin):
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
    index_template_name = f"{TEMPLATES}/index.html"
    inspect_view_enabled = True
    inspect_view_class = SignupRequestInspectView
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    history_view_enabled = False
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = ReviewButtonHelper

    @staticmethod
    def family_name(obj):
        return request_name(obj)

    family_name.short_description = _("Name")

    @staticmethod
    def children_count(obj):
        return len(obj.data.get("children", []))

    children_count.short_description = _("Children")

    def review_view(self, view_class):
        def view(request, instance_pk):
            return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

        return view

    def get_admin_urls_for_registration(self):
        return (
            super().get_admin_urls_for_registration()
            + tuple(
                re_path(
                    self.url_helper.get_action_url_pattern(action),
                    self.review_view(view_class),
                    name=self.url_helper.get_action_url_name(action),
                )
                for action, view_class in (("accept", AcceptView), ("refuse", RefuseView))
            )
            + (admin_bulk.bulk_url(self, BulkDecisionView),)
        )
