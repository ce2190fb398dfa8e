"""Staff queues of what families send (account requests, change requests, documents):
staff decide an item, they never create, edit or delete it in the admin."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import InstanceSpecificView

from core.errors import DomainError

from . import admin_bulk

PENDING = "pending"


class ReviewPermissionHelper(PermissionHelper):
    """Deciding needs the model's change permission, and only a pending item is decided."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_review(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))

    def user_can_review_obj(self, user, obj):
        return obj.status == PENDING and self.user_can_review(user)


class ReviewButtonHelper(ButtonHelper):
    """Adds a button per decision, each leading to the admin view of that action."""

    decisions = [
        ("accept", _("Accept"), []),
        ("refuse", _("Refuse"), ["button-secondary", "no"]),
    ]

    def decision_button(self, pk, action, label, classnames):
        return {
            "url": self.url_helper.get_action_url(action, quote(pk)),
            "label": label,
            "classname": self.finalise_classname(classnames),
            "title": label,
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_review_obj(self.request.user, obj):
            buttons += [
                self.decision_button(obj.pk, action, label, classnames)
                for action, label, classnames in self.decisions
            ]
        return buttons


def refusal_form(help_text) -> type[forms.Form]:
    """The form of a Refuse screen; `help_text` tells staff who will read the reason."""
    return type(
        "RefusalForm",
        (forms.Form,),
        {
            "reason": forms.CharField(
                label=_("Reason for refusal"),
                help_text=help_text,
                widget=forms.Textarea({"rows": 5}),
            )
        },
    )


class DecisionView(InstanceSpecificView):
    """One decision on one item. GET shows the form; POST calls `decide(cleaned_data)`,
    which calls the service and returns the success message. A refusal by the service goes
    back to the item with its message; a success goes back to the list."""

    template_name = None
    form_class = forms.Form  # Accept screens ask for nothing but a confirmation.

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def get_page_subtitle(self):
        return str(self.instance.family)

    def get_template_names(self):
        return [self.template_name]

    def initial(self) -> dict:
        return {}

    def decision_context(self) -> dict:
        """What the screen shows of the item, besides the form."""
        return {}

    def decide(self, data) -> str:
        raise NotImplementedError

    def render(self, form):
        return TemplateResponse(
            self.request,
            self.get_template_names(),
            self.get_context_data(form=form, **self.decision_context()),
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form_class(initial=self.initial()))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            message = self.decide(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        messages.success(request, message)
        return redirect(self.index_url)


class DecisionAdminMixin:
    """For a StaffModelAdmin: registers its decision screens, `decision_views` as
    (action, view class) pairs, and its bulk screen if it has one."""

    decision_views: tuple = ()
    bulk_view_class = None

    def decision_view(self, view_class):
        def view(request, instance_pk):
            return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

        return view

    def extra_admin_urls(self):
        urls = tuple(
            re_path(
                self.url_helper.get_action_url_pattern(action),
                self.decision_view(view_class),
                name=self.url_helper.get_action_url_name(action),
            )
            for action, view_class in self.decision_views
        )
        if self.bulk_view_class is not None:
            urls += (admin_bulk.bulk_url(self, self.bulk_view_class),)
        return (*super().extra_admin_urls(), *urls)
