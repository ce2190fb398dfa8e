"""Reminders of unpaid invoices: before and after the due date as the régie sets them, by
alert and e-mail, never twice the same."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from invoicing.choices import PaymentMode
from invoicing.models import PaymentReminder
from invoicing.services import payment_record
from invoicing.services.reminders import reminder_due, reminders_send
from portal_features.models import Notification

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
DUE = datetime.date(2027, 1, 2)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 12, 27), None),
        (datetime.date(2026, 12, 28), ("before", 5)),
        (DUE, ("before", 5)),
        (datetime.date(2027, 1, 3), None),
        (datetime.date(2027, 1, 11), None),
        (datetime.date(2027, 1, 12), ("after", 10)),
        (datetime.date(2027, 1, 31), ("after", 10)),
        (datetime.date(2027, 2, 1), ("after", 30)),
        (datetime.date(2027, 6, 1), ("after", 30)),
    ],
)
def test_which_reminder_is_due(today, expected):
    assert reminder_due(due_on=DUE, today=today, days_before=5, days_after=[30, 10]) == expected


def test_no_reminder_before_when_the_regie_says_zero():
    assert reminder_due(due_on=DUE, today=DUE, days_before=0, days_after=[10]) is None


def at(day):
    return datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=PARIS)


def test_reminders_go_once_per_stage_and_stop_when_paid(ledger):
    november, december = ledger.invoices
    assert november.due_on == DUE
    mail.outbox.clear()

    assert reminders_send(now=at(datetime.date(2026, 12, 28))) == 1
    assert reminders_send(now=at(datetime.date(2026, 12, 29))) == 0  # never twice
    notification = Notification.objects.get(family=ledger.family)
    assert november.number in notification.title
    assert "48,80" in notification.body
    assert len(mail.outbox) == 0  # sent once the transaction commits (see below)

    assert reminders_send(now=at(datetime.date(2027, 1, 12))) == 1
    payment_record(
        regie=ledger.regie,
        family=ledger.family,
        mode=PaymentMode.CASH,
        amount=Decimal("48.80"),
        actor=ledger.staff,
        now=at(datetime.date(2027, 1, 20)),
    )
    # 30 days after: November is paid; December's reminder before its due (3 February).
    assert reminders_send(now=at(datetime.date(2027, 2, 1))) == 1
    assert list(
        PaymentReminder.objects.order_by("pk").values_list("invoice_id", "stage", "days")
    ) == [
        (november.pk, "before", 5),
        (november.pk, "after", 10),
        (december.pk, "before", 5),
    ]


def test_the_daily_command_sends_and_e_mails(ledger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_payment_reminders", date="2027-01-12")
        call_command("send_payment_reminders", date="2027-01-12")
    assert PaymentReminder.objects.count() == 1
    assert Notification.objects.filter(family=ledger.family).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ([], True),
        ([10, 30], True),
        ([365], True),
        ([0], False),
        ([366], False),
        (["10"], False),
        ([True], False),
        ("10,30", False),
    ],
)
def test_the_regies_reminder_days_are_checked(value, valid):
    from django.core.exceptions import ValidationError

    from invoicing.models.regies import validate_reminder_days

    if valid:
        validate_reminder_days(value)
    else:
        with pytest.raises(ValidationError):
            validate_reminder_days(value)
