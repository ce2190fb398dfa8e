"""Bulk decisions in the staff queues: tick several pending items, decide them all at once.

Each item goes through the same service as its single Accept/Refuse screen, alone: one that
fails (already processed, stale…) is reported by name and the others still go through.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.views import WMABaseView

from core.bounds import IdMultipleChoiceField
from core.errors import DomainError

from .admin_base import StrictIndexView

BULK = "bulk"


class BulkDecisionForm(forms.Form):
    """Base form: a subclass declares the items field (named by items_field) and the decision."""

    REFUSE = "refuse"
    items_field = None
    reason_required_message = _("Give the reason for the refusal: the family will read it.")

    reason = forms.CharField(
        label=_("Reason for refusal"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, queryset, label=str, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.items_field]
        field.queryset = queryset
        field.label_from_instance = label
        if offered is not None:
            # Only pending items are shown, but a post may name one decided meanwhile by
            # someone else: it is then reported by the service rather than failing the form.
            field.widget.choices = [(item.pk, label(item)) for item in offered]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", self.reason_required_message)
        return cleaned


class BulkRequestForm(BulkDecisionForm):
    """Accept or refuse several requests (account requests, change requests)."""

    ACCEPT = "accept"
    items_field = "requests"

    requests = IdMultipleChoiceField(
        label=_("Requests"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (BulkDecisionForm.REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    field_order = ("requests", "decision", "reason")


class BulkIndexView(StrictIndexView):
    """The queue's list, with the way to the bulk screen for staff who may decide."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.permission_helper.user_can_review(self.request.user):
            context["bulk_url"] = reverse(self.url_helper.get_action_url_name(BULK))
        return context


class BulkDecisionView(WMABaseView):
    """Base of the bulk screens; same permission as the single decision screens."""

    form_class = None
    template_name = None

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def pending(self):
        """The items offered, oldest first."""
        raise NotImplementedError

    def choosable(self):
        """What a post may name, when wider than what is offered (None: only the offered)."""
        return None

    def label(self, item) -> str:
        return str(item)

    def initial(self) -> dict:
        return {}

    def decide(self, item, data) -> None:
        """Call the item's service; a DomainError reports the item and skips it."""
        raise NotImplementedError

    def summary(self, data, count: int) -> str:
        raise NotImplementedError

    def form(self, data=None, **kwargs):
        pending, choosable = self.pending(), self.choosable()
        if choosable is None:
            return self.form_class(data, queryset=pending, label=self.label, **kwargs)
        return self.form_class(
            data, queryset=choosable, label=self.label, offered=pending, **kwargs
        )

    def render(self, form):
        return TemplateResponse(
            self.request, [self.template_name], self.get_context_data(form=form)
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form(initial=self.initial()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        done = 0
        for item in data[form.items_field]:
            try:
                # Its own transaction: a failure rolls back this item only.
                with transaction.atomic():
                    self.decide(item, data)
            except DomainError as error:
                messages.error(request, f"{self.label(item)}: {error.message}")
            else:
                done += 1
        (messages.success if done else messages.warning)(request, self.summary(data, done))
        return redirect(self.index_url)


def bulk_url(model_admin, view_class):
    """The bulk screen's address, registered next to the model admin's own (its base path,
    so two queues on one model get two addresses)."""
    return re_path(
        rf"^{model_admin.url_helper.base_url_path}/{BULK}/$",
        lambda request: view_class.as_view(model_admin=model_admin)(request),
        name=model_admin.url_helper.get_action_url_name(BULK),
    )
