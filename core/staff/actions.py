"""Screens on one item besides the list's own (import the holidays of a school year,
generate an activity's opening days…): a confirmation, then one service call.

A StaffModelAdmin with ActionAdminMixin declares `action_views`, (action, view class)
pairs, each at <model>/<action>/<pk>/, and may add buttons to each row of its list with
`row_buttons(request, obj)`.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import InstanceSpecificView

from core.bounds import parse_id
from core.errors import DomainError


class ActionButtonHelper(ButtonHelper):
    """Adds the ModelAdmin's `row_buttons(request, obj)`, (url, label) pairs, to each row."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        for url, label in self.view.model_admin.row_buttons(self.request, obj):
            buttons.append(
                {
                    "url": url,
                    "label": label,
                    "classname": self.finalise_classname(
                        ["button-secondary", *(classnames_add or [])], classnames_exclude
                    ),
                    "title": label,
                }
            )
        return buttons


class ActionAdminMixin:
    """For a StaffModelAdmin: registers `action_views` and adds `row_buttons`."""

    action_views: tuple = ()
    button_helper_class = ActionButtonHelper

    def row_buttons(self, request, obj) -> list[tuple[str, str]]:
        return []

    def action_url(self, action, obj) -> str:
        return self.url_helper.get_action_url(action, quote(obj.pk))

    def instance_view(self, view_class):
        def view(request, instance_pk):
            return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

        return view

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            *(
                self.action_pattern(action, self.instance_view(view_class))
                for action, view_class in self.action_views
            ),
        )


class ConfirmActionView(InstanceSpecificView):
    """GET asks for confirmation; POST calls `perform()`, which calls one service and
    returns the success message, then goes to `success_url()`. A refusal of the service
    (a DomainError) is shown as an error and nothing is changed."""

    template_name = "core/staff/confirm.html"
    permission = ""  # "app_label.codename"
    button_label = ""
    # The model <instance_pk> names when it is not the screen's own (a line of a batch…).
    item_model = None
    # Done or cancelled, go back to the item's own screen rather than to the list.
    back_to_item = False

    def __init__(self, model_admin, instance_pk):
        if self.item_model is None:
            super().__init__(model_admin, instance_pk)
            return
        super(InstanceSpecificView, self).__init__(model_admin)
        self.instance_pk = self.pk_quoted = str(instance_pk)
        self.instance = get_object_or_404(self.item_model, pk=parse_id(instance_pk))

    def check_action_permitted(self, user):
        return user.has_perm(self.permission)

    def get_page_title(self):
        return self.button_label

    def explanation(self) -> str:
        return ""

    def perform(self) -> str:
        raise NotImplementedError

    def item_url(self, pk) -> str:
        """The screen of one item of this list (the one acted on, or what the action made)."""
        return self.url_helper.get_action_url("inspect", pk)

    def success_url(self) -> str:
        return self.item_url(self.instance.pk) if self.back_to_item else self.index_url

    def cancel_url(self) -> str:
        return self.item_url(self.instance.pk) if self.back_to_item else self.index_url

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.cancel_url(), **kwargs)

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(
            explanation=self.explanation(), button_label=self.button_label
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.index_url)
        messages.success(request, message)
        return redirect(self.success_url())


class FormActionView(ConfirmActionView):
    """A confirmed action that needs what staff type (a reason…): GET shows `form_class`;
    POST calls `perform(form.cleaned_data)` only when the form is valid, else shows it again
    with its errors. A refusal of the service is shown on the form; nothing is changed."""

    form_class = None

    def get_form(self):
        return self.form_class(self.request.POST or None)

    def render_form(self, form):
        context = self.get_context_data(
            explanation=self.explanation(), button_label=self.button_label, form=form
        )
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_form(form)
        try:
            message = self.perform(form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_form(form)
        messages.success(request, message)
        return redirect(self.success_url())


class NoCreatePermissionHelper(PermissionHelper):
    """Items made elsewhere (units in their activity, opening days by generation)."""

    def user_can_create(self, user):
        return False


class ChangeOnlyPermissionHelper(NoCreatePermissionHelper):
    """Items made elsewhere that staff change but never delete."""

    def user_can_delete_obj(self, user, obj):
        return False


class ReadOnlyPermissionHelper(ChangeOnlyPermissionHelper):
    """Items made and changed only by the services (runs, documents, lines, a queue's
    items, which staff decide on their own screens)."""

    def user_can_edit_obj(self, user, obj):
        return False
