"""What staff may decide on an item of a queue, declared as data, and the forms that ask
for it: one form for a single decision, one for a bulk decision.

    Decision(code="accept", label=_("Accept"), service=calls(enrolment_accept, "enrolment_id",
             pk=True), done=_("Administrative file validated; the family is told."),
             done_many=_("%(count)d administrative file(s) validated; …"))

The usual pair is built by `accept_decision(service, done, done_many)` and
`refuse_decision(service, done, done_many, reason_help=…)`; `also_validate_field(label,
help_text)` is the ticked-by-default box of an acceptance that validates further pieces in
the same step (the documents sent, an administrative file).

The kit calls `service(item, actor=<staff user>, **data)`, where `data` holds `reason` (the
text the family reads) when the decision asks for one, and the fields of its own `form`
(`bulk_form` on the bulk screen). `calls()` adapts a service of the house to that call.
"""

import copy
import dataclasses
from collections.abc import Callable

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.bounds import IdMultipleChoiceField

REASON = "reason"
REFUSE_CLASSNAMES = ("button-secondary", "no")
ACCEPT = _("Accept")
VALIDATE = _("Validate")
REFUSE = _("Refuse")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Decision:
    """One button of a queue, the service it calls and what staff write for it.

    `needs_reason`: a text the family reads is required (a refusal, a billed absence);
    `reason_label` without `needs_reason`: the text is offered, optional (a note).
    `done`: the message after one decision, or a callable given the service's result;
    `done_many`: the summary of a bulk decision, with %(count)d.
    `form`: further fields of the single screen (a validity period…), given to the service;
    `bulk_form`: further fields of the bulk screen, required only when this decision is
    chosen (their own "required" message is shown).
    """

    code: str
    label: Promise | str
    service: Callable
    needs_reason: bool = False
    done: Promise | str | Callable = ""
    done_many: Promise | str = ""
    reason_label: Promise | str | None = None
    reason_help: Promise | str | None = None
    form: type[forms.Form] | None = None
    bulk_form: type[forms.Form] | None = None
    initial: Callable[[object], dict] | None = None
    title: Promise | str | None = None
    button: Promise | str | None = None
    explanation: Promise | str | None = None
    classnames: tuple | None = None

    @property
    def asks_text(self) -> bool:
        return self.needs_reason or self.reason_label is not None

    @property
    def text_label(self):
        return self.reason_label or _("Reason for refusal")

    @property
    def button_classnames(self) -> tuple:
        if self.classnames is not None:
            return self.classnames
        return REFUSE_CLASSNAMES if self.needs_reason else ()

    @property
    def submit_classnames(self) -> str:
        """The classes of the screen's submit button: a refusal shows as one."""
        return " ".join(c for c in self.button_classnames if c != "button-secondary")

    def message(self, result) -> str:
        return self.done(result) if callable(self.done) else self.done


def accept_decision(
    service, done="", done_many="", *, code="accept", label=ACCEPT, **more
) -> Decision:
    """A queue's positive decision, « Accept »; `more`: any other field of `Decision` (a
    title, an explanation, a form…)."""
    return Decision(code=code, label=label, service=service, done=done, done_many=done_many, **more)


def validate_decision(service, done="", done_many="", **more) -> Decision:
    """« Validate »: the positive decision on a piece staff check (a document, a mandate)."""
    return accept_decision(service, done, done_many, code="validate", label=VALIDATE, **more)


def refuse_decision(service, done="", done_many="", **more) -> Decision:
    """A queue's refusal: the reason the family reads is required (`reason_help` says where
    the family reads it)."""
    return Decision(
        code="refuse",
        label=REFUSE,
        service=service,
        needs_reason=True,
        done=done,
        done_many=done_many,
        **more,
    )


def also_validate_field(label, help_text) -> forms.BooleanField:
    """The box of an « Accept » form that also validates what the item brings (its documents,
    an administrative file), ticked by default: staff untick it to validate them later."""
    return forms.BooleanField(label=label, help_text=help_text, required=False, initial=True)


def calls(function, item: str, *, pk: bool = False, reason: str = REASON, **fixed) -> Callable:
    """Adapt a service to the kit's call: the item is passed as keyword `item` (its id when
    `pk`), the staff member as `actor`, the text as `reason` (renamed, e.g. `note`), with
    `fixed` keywords besides (`status=…`)."""

    def call(obj, *, actor, **data):
        if REASON in data and reason != REASON:
            data[reason] = data.pop(REASON)
        return function(**{item: obj.pk if pk else obj}, actor=actor, **fixed, **data)

    return call


def decision_form(decision: Decision) -> type[forms.Form]:
    """The form of one decision's screen: a confirmation, the decision's own fields, and
    the text the family reads when the decision asks for one."""
    fields = {}
    if decision.asks_text:
        fields[REASON] = forms.CharField(
            label=decision.text_label,
            help_text=decision.reason_help,
            required=decision.needs_reason,
            widget=forms.Textarea({"rows": 5}),
        )
    return type("DecisionForm", (decision.form or forms.Form,), fields)


class BulkDecisionForm(forms.Form):
    """Tick items, choose one of the queue's decisions; a text is required where the single
    decision requires one, and a decision's own fields where it requires them."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for refusal"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, queue, queryset, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queue = queue
        self.items_field = queue.bulk_items_field
        decisions = queue.decisions
        self.decisions = {decision.code: decision for decision in decisions}
        items = IdMultipleChoiceField(
            label=queue.bulk_items_label(),
            queryset=queryset,
            widget=forms.CheckboxSelectMultiple,
        )
        items.label_from_instance = queue.label
        if offered is not None:
            # Only pending items are shown, but a post may name one decided meanwhile by
            # someone else: it is then reported by the service rather than failing the form.
            items.widget.choices = [(item.pk, queue.label(item)) for item in offered]
        self.fields["decision"].choices = [(d.code, d.label) for d in decisions]
        labels = {str(d.text_label) for d in decisions if d.asks_text}
        if len(labels) > 1:
            self.fields[REASON].label = _("Reason or note for the family")
        elif labels:
            self.fields[REASON].label = next(d.text_label for d in decisions if d.asks_text)
        # The decisions' own fields: {name: (decision code, required)}.
        self.own_fields = {}
        fields = {self.items_field: items, "decision": self.fields["decision"]}
        for decision in decisions:
            for name, field in (
                decision.bulk_form.base_fields if decision.bulk_form else {}
            ).items():
                fields[name] = copy.deepcopy(field)
                fields[name].required = False
                self.own_fields[name] = (decision.code, field.required)
        fields[REASON] = self.fields[REASON]
        self.fields = fields

    @property
    def items_choices(self) -> bool:
        """Whether any item is offered."""
        return bool(self.fields[self.items_field].widget.choices)

    def chosen(self) -> Decision | None:
        return self.decisions.get(self.cleaned_data.get("decision"))

    def clean(self):
        cleaned = super().clean()
        decision = self.chosen()
        if decision is None:
            return cleaned
        if decision.needs_reason and not (cleaned.get(REASON) or "").strip():
            self.add_error(REASON, self.queue.reason_required_message)
        for name, (code, required) in self.own_fields.items():
            if code == decision.code and required and cleaned.get(name) in (None, ""):
                self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    def decision_data(self) -> dict:
        """What the chosen decision's service receives besides the item and the actor."""
        decision = self.chosen()
        data = {REASON: self.cleaned_data[REASON]} if decision.asks_text else {}
        for name, (code, _required) in self.own_fields.items():
            if code == decision.code:
                data[name] = self.cleaned_data.get(name)
        return data
