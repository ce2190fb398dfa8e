"""The screens every queue shares: its list, an item, one decision, several decisions."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from wagtail_modeladmin.views import InspectView, InstanceSpecificView, WMABaseView

from core.errors import DomainError

from .base import StrictIndexView
from .decisions import BulkDecisionForm, Decision, decision_form

BULK = "bulk"
# What the bulk screen's link leaves out of the list's parameters.
LIST_ONLY = ("p", "o", "ot", "state")


class QueueIndexView(StrictIndexView):
    """The queue's list; the way to the bulk screen (keeping the list's filters) for staff
    who may decide; a notice of something related awaiting staff."""

    def get_page_title(self):
        return self.model_admin.menu_label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = self.model_admin
        if self.permission_helper.user_can_review(self.request.user):
            context["bulk_url"] = reverse(self.url_helper.get_action_url_name(BULK))
            params = self.params.copy()
            for name in LIST_ONLY:
                params.pop(name, None)
            if params:
                context["bulk_url"] += "?" + params.urlencode()
            context["bulk_label"] = queue.bulk_label
        context["notice"] = queue.index_notice()
        context["empty_message"] = queue.index_empty_message
        return context


class QueueInspectView(InspectView):
    def get_page_title(self):
        return capfirst(self.verbose_name)

    def get_page_subtitle(self):
        return self.model_admin.subtitle(self.instance)

    def get_context_data(self, **kwargs):
        queue = self.model_admin
        return super().get_context_data(
            item_template=queue.item_template,
            history=queue.history(self.instance),
            history_template=queue.history_template,
            **queue.item_context(self.instance, self.request),
            **kwargs,
        )


class DecisionView(InstanceSpecificView):
    """One decision on one item. GET shows the item and the decision's form; POST calls
    the decision's service. A refusal by the service goes back to the item with its
    message; a success goes back to the list with the decision's message."""

    decision: Decision = None
    template_name = "core/staff/decision.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def get_page_title(self):
        return self.decision.title or self.decision.label

    def get_page_subtitle(self):
        return self.model_admin.subtitle(self.instance)

    def form_class(self):
        return decision_form(self.decision)

    def render(self, form):
        queue = self.model_admin
        context = self.get_context_data(
            form=form,
            decision=self.decision,
            item_template=queue.item_template,
            **queue.item_context(self.instance, self.request),
        )
        return TemplateResponse(self.request, [self.template_name], context)

    def get(self, request, *args, **kwargs):
        initial = self.decision.initial(self.instance) if self.decision.initial else {}
        return self.render(self.form_class()(initial=initial))

    def post(self, request, *args, **kwargs):
        form = self.form_class()(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            result = self.model_admin.decide(
                self.instance, self.decision, actor=request.user, data=form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        messages.success(request, self.decision.message(result))
        return redirect(self.index_url)


class BulkView(WMABaseView):
    """Decide several items of the queue at once. Each goes through the same service as
    its single decision, alone: one that fails (already decided, stale…) is reported by
    name and the others still go through. The items offered are those awaiting a decision
    within the filters chosen on the list."""

    template_name = "core/staff/bulk.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_review(user)

    def get_page_title(self):
        return self.model_admin.bulk_label

    @property
    def empty_message(self):
        return self.model_admin.bulk_empty_message

    def form(self, data=None, **kwargs):
        queue = self.model_admin
        pending = queue.filtered_pending(self.request)
        if not queue.bulk_accepts_decided:
            return BulkDecisionForm(data, queue=queue, queryset=pending, **kwargs)
        choosable = queue.with_related(queue.model._default_manager.all())
        return BulkDecisionForm(data, queue=queue, queryset=choosable, offered=pending, **kwargs)

    def render(self, form):
        return TemplateResponse(
            self.request, [self.template_name], self.get_context_data(form=form)
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form(initial=self.model_admin.bulk_initial()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form)
        queue, decision, data = self.model_admin, form.chosen(), form.decision_data()
        done = 0
        for item in form.cleaned_data[form.items_field]:
            try:
                # Its own transaction: a failure rolls back this item only.
                with transaction.atomic():
                    queue.decide(item, decision, actor=request.user, data=dict(data))
            except DomainError as error:
                messages.error(request, f"{queue.label(item)}: {error.message}")
            else:
                done += 1
        summary = decision.done_many % {"count": done}
        (messages.success if done else messages.warning)(request, summary)
        return redirect(self.index_url)
