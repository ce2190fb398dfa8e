"""« Paiements en ligne »: the attempts with their state and what was heard of them
(PaymentAttemptEvent), those flagged for review a filter away; « Vérifier auprès du
prestataire » (`attempt_refresh`) and « Rapprocher » (`attempts_reconcile`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import related_column
from core.staff import (
    ActionAdminMixin,
    ConfirmActionView,
    InspectView,
    ReadOnlyPermissionHelper,
    StaffModelAdmin,
    date_range_filter,
)

from ..choices import ATTEMPT_OPEN, AttemptSource
from ..models import PaymentAttempt
from ..services.online import attempt_refresh, attempts_reconcile
from .common import TEMPLATES, form_screen

CHECK = "invoicing.change_paymentattempt"


class RefreshView(ConfirmActionView):
    permission = CHECK
    button_label = gettext_lazy("Check with the provider")
    back_to_item = True

    def explanation(self):
        return _(
            "The provider is asked where attempt %(ref)s stands; a payment it confirms is "
            "recorded once, with its receipt."
        ) % {"ref": self.instance.provider_ref or self.instance.pk}

    def perform(self):
        attempt = attempt_refresh(attempt=self.instance, source=AttemptSource.RECONCILIATION)
        return _("Attempt checked: %(state)s.") % {"state": attempt.get_state_display()}


class AttemptInspectView(InspectView):
    def get_context_data(self, **kwargs):
        attempt = self.instance
        return super().get_context_data(
            attempt=attempt,
            events=list(attempt.events.order_by("at", "pk")),
            invoices=list(attempt.request.items.select_related("invoice").order_by("pk")),
            payment=getattr(attempt, "payment", None),
            can_check=self.request.user.has_perm(CHECK),
            check_url=self.model_admin.action_url("refresh", attempt),
            **kwargs,
        )


class PaymentAttemptAdmin(ActionAdminMixin, StaffModelAdmin):
    model = PaymentAttempt
    menu_label = gettext_lazy("Online payments")
    menu_icon = "link"
    list_display = (
        "created_at",
        "family_name",
        "provider",
        "provider_ref",
        "amount",
        "state",
        "needs_review",
        "review_note",
    )
    list_filter = (
        "state",
        "needs_review",
        "provider",
        date_range_filter("created_at__date", gettext_lazy("date")),
    )
    search_fields = (
        "provider_ref",
        "transaction_id",
        "request__number",
        "request__family__name",
        "request__family__number",
    )
    list_select_related = ("request__family",)
    permission_helper_class = ReadOnlyPermissionHelper
    index_template_name = "core/staff/index.html"
    inspect_view_enabled = True
    inspect_view_class = AttemptInspectView
    inspect_template_name = f"{TEMPLATES}/attempt_inspect.html"
    action_views = (("refresh", RefreshView),)

    def header_buttons(self, request):
        if not request.user.has_perm(CHECK):
            return []
        return [(self.screen_url("reconcile"), _("Reconcile"))]

    def row_buttons(self, request, obj):
        to_check = obj.needs_review or obj.state in ATTEMPT_OPEN
        if to_check and request.user.has_perm(CHECK):
            return [(self.action_url("refresh", obj), _("Check with the provider"))]
        return []

    def reconcile_view(self, request):
        if not request.user.has_perm(CHECK):
            raise PermissionDenied
        if request.method == "POST":
            counts = attempts_reconcile()
            messages.success(
                request,
                _(
                    "Reconciliation done: %(asked)s attempt(s) checked with the provider, "
                    "%(given_up)s given up, %(failed)s failed."
                )
                % counts,
            )
            return redirect(self.url_helper.index_url)
        return form_screen(
            request,
            title=_("Reconcile the online payments"),
            form=forms.Form(),
            button_label=_("Reconcile"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "Every attempt still open for a few minutes, or expired lately, is checked "
                "with its provider; a payment the provider confirms is recorded once. The "
                "same sweep runs every few minutes on its own."
            ),
        )

    def extra_admin_urls(self):
        return (*super().extra_admin_urls(), self.screen_pattern("reconcile", self.reconcile_view))

    family_name = related_column("request.family.name", gettext_lazy("Family"))
