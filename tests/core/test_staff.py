"""The staff-screen kit's pieces that hold no screen: a decision declared as data, the
call it makes to its service, and the forms of one decision and of several."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import Group

from core.staff import Decision, calls
from core.staff.decisions import BulkDecisionForm, decision_form

pytestmark = pytest.mark.django_db


def recorder():
    calls_made = []

    def service(**kwargs):
        calls_made.append(kwargs)
        return "result"

    return service, calls_made


def test_calls_passes_the_item_the_actor_and_renames_the_text():
    service, made = recorder()
    item = SimpleNamespace(pk=7)

    by_id = calls(service, "absence_id", pk=True, reason="note")
    by_instance = calls(service, "document", status="billed")

    assert by_id(item, actor="staff", reason="Hors délai") == "result"
    by_instance(item, actor="staff")
    assert made == [
        {"absence_id": 7, "actor": "staff", "note": "Hors délai"},
        {"document": item, "actor": "staff", "status": "billed"},
    ]


def test_a_decision_needing_a_reason_is_a_refusal_button_and_requires_its_text():
    refuse = Decision(code="refuse", label="Refuse", service=print, needs_reason=True)
    accept = Decision(code="accept", label="Accept", service=print, done="Done.")
    note = Decision(code="excuse", label="Excuse", service=print, reason_label="Note")

    assert refuse.button_classnames == ("button-secondary", "no")
    assert refuse.submit_classnames == "no"
    assert accept.button_classnames == () and accept.message(None) == "Done."
    assert not decision_form(refuse)({"reason": "  "}).is_valid()
    assert decision_form(refuse)({"reason": "Incomplet"}).is_valid()
    assert decision_form(note)({}).is_valid()
    assert list(decision_form(accept)().fields) == []


def test_a_decision_message_may_read_the_services_result():
    decision = Decision(code="accept", label="Accept", service=print, done=lambda n: f"N° {n}")

    assert decision.message(42) == "N° 42"


class Validity(forms.Form):
    valid_from = forms.DateField(error_messages={"required": "Give the date."})


def bulk_form(data):
    decisions = (
        Decision(code="validate", label="Validate", service=print, bulk_form=Validity),
        Decision(code="refuse", label="Refuse", service=print, needs_reason=True),
    )
    queue = SimpleNamespace(
        decisions=decisions,
        bulk_items_field="groups",
        bulk_items_label=lambda: "Groups",
        label=str,
        reason_required_message="Give the reason.",
    )
    return BulkDecisionForm(data, queue=queue, queryset=Group.objects.all())


def test_the_bulk_form_requires_what_the_chosen_decision_requires():
    group = Group.objects.create(name="Animateurs")

    refused = bulk_form({"groups": [group.pk], "decision": "refuse", "reason": " "})
    undated = bulk_form({"groups": [group.pk], "decision": "validate"})
    dated = bulk_form({"groups": [group.pk], "decision": "validate", "valid_from": "2026-09-01"})

    assert refused.errors == {"reason": ["Give the reason."]}
    assert undated.errors == {"valid_from": ["Give the date."]}
    assert dated.is_valid()
    assert list(dated.fields) == ["groups", "decision", "valid_from", "reason"]
    assert dated.decision_data() == {"valid_from": dated.cleaned_data["valid_from"]}
    # A refusal never receives the validation's fields.
    refusal = bulk_form({"groups": [group.pk], "decision": "refuse", "reason": "Non"})
    assert refusal.is_valid() and refusal.decision_data() == {"reason": "Non"}


def test_the_bulk_form_refuses_an_id_the_database_cannot_hold():
    form = bulk_form({"groups": ["x"], "decision": "refuse", "reason": "Non"})

    assert not form.is_valid() and "groups" in form.errors
