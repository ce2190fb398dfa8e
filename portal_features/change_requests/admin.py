"""Staff screen « Demandes de modification »: read a family's change, accept or refuse it.

The buttons call the same services as the tests; no decision logic here.
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
from ..models import ChangeRequest
from ..models.requests import RequestStatus
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


class ReviewView(InstanceSpecificView):
    template_name = None

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def get_page_subtitle(self):
        return str(self.instance.family)

    def get_template_names(self):
        return [self.template_name]

    def render(self, **context):
        return TemplateResponse(
            self.request,
            self.get_template_names(),
            self.get_context_data(**review_context(self.instance), **context),
        )

    def decided(self, message):
        messages.success(self.request, message)
        return redirect(self.index_url)

    def refused_by_service(self, error):
        messages.error(self.request, error.message)
        return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))


class AcceptView(ReviewView):
    page_title = _("Accept the change request")
    template_name = f"{TEMPLATES}/accept.html"

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        try:
            change_request_accept(change_request=self.instance, staff_user=request.user)
        except PortalError as error:
            return self.refused_by_service(error)
        return self.decided(_("Request accepted: the family file is updated."))


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        help_text=_("The family reads it in its requests and alerts."),
        widget=forms.Textarea({"rows": 5}),
    )


class RefuseView(ReviewView):
    page_title = _("Refuse the change request")
    template_name = f"{TEMPLATES}/refuse.html"

    def get(self, request, *args, **kwargs):
        return self.render(form=RefusalForm())

    def post(self, request, *args, **kwargs):
        form = RefusalForm(request.POST)
        if not form.is_valid():
            return self.render(form=form)
        try:
            change_request_refuse(
                change_request=self.instance,
                staff_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            return self.refused_by_service(error)
        return self.decided(_("Request refused: the family will read the reason."))


class BulkDecisionView(admin_bulk.BulkDecisionView):
    """Accept or refuse several change requests at once, each through its service."""

    page_title = _("Decide several requests")
    form_class = admin_bulk.BulkRequestForm
    template_name = f"{TEMPLATES}/bulk.html"

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
            change_request_accept(change_request=change_request, staff_user=self.request.user)
        else:
            change_request_refuse(
                change_request=change_request, staff_user=self.request.user, reason=data["reason"]
            )

    def summary(self, data, count):
        if data["decision"] == admin_bulk.BulkRequestForm.ACCEPT:
            message = _("%(count)d request(s) accepted: the family files are updated.")
        else:
            message = _("%(count)d request(s) refused: the families will read the reason.")
        return message % {"count": count}


class ChangeRequestAdmin(ModelAdmin):
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
    index_template_name = f"{TEMPLATES}/index.html"
    inspect_view_enabled = True
    inspect_view_class = ChangeRequestInspectView
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    history_view_enabled = False
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = ReviewButtonHelper

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
