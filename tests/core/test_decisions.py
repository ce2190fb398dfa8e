"""Every decision staff take is written the same way, and every service names the staff
member `actor=` (the rule is written in core/models.py)."""

import importlib
import inspect
import pkgutil

import pytest

import portal_features
import reservations.services
from core.choices import RequestStatus
from core.models import DecidedModel
from portal_features.models import ChangeRequest, SignupRequest, SupportingDocument
from reservations.models import Absence, Enrolment, Registration, Reservation

DECIDED = [SignupRequest, ChangeRequest, SupportingDocument, Enrolment, Registration, Reservation]


@pytest.mark.parametrize("model", [*DECIDED, Absence], ids=lambda model: model.__name__)
def test_who_decided_and_when_have_the_same_names_everywhere(model):
    names = {field.name for field in model._meta.get_fields()}

    assert issubclass(model, DecidedModel)
    assert {"status", "decided_at", "decided_by"} <= names
    assert not {"reviewed_at", "reviewed_by"} & names


@pytest.mark.parametrize("model", DECIDED, ids=lambda model: model.__name__)
def test_the_reason_a_family_reads_is_refusal_reason(model):
    assert model._meta.get_field("refusal_reason")


def test_an_absence_keeps_its_note_for_either_outcome_and_no_refusal_reason():
    names = {field.name for field in Absence._meta.get_fields()}
    assert "staff_note" in names and "refusal_reason" not in names


@pytest.mark.parametrize(
    "model", [SignupRequest, ChangeRequest, Enrolment, Registration], ids=lambda m: m.__name__
)
def test_requests_of_both_apps_share_one_set_of_statuses(model):
    assert model._meta.get_field("status").choices == RequestStatus.choices


def _service_modules():
    names = [
        f"portal_features.{module.name}.services"
        for module in pkgutil.iter_modules(portal_features.__path__)
        if module.ispkg
    ]
    names += [
        f"reservations.services.{module.name}"
        for module in pkgutil.iter_modules(reservations.services.__path__)
    ]
    for name in names:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise


def test_no_service_names_the_staff_member_otherwise_than_actor():
    other_names = {"staff_user", "staff", "reviewer", "decided_by", "reviewed_by"}
    checked = 0
    for module in _service_modules():
        for function in vars(module).values():
            if inspect.isfunction(function) and function.__module__ == module.__name__:
                checked += 1
                assert not set(inspect.signature(function).parameters) & other_names, function
    assert checked > 50
