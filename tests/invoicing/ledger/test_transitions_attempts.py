"""The attempt's state machine, as `attempt_settle` applies it: every allowed move is made,
every other one is ignored (and kept in the history), a paid attempt never moves, and a
« paid » after refused, abandoned or expired is recorded and flagged."""

from decimal import Decimal

import pytest

from invoicing.choices import ATTEMPT_OVER, ATTEMPT_TRANSITIONS, AttemptSource, AttemptState
from invoicing.models import Payment, PaymentAttempt, PaymentRequest
from invoicing.payments.providers import PaymentState, ProviderStatus
from invoicing.services.online import PROVIDER_STATES, attempt_settle

pytestmark = pytest.mark.django_db


def test_the_transition_table_covers_every_state():
    assert set(ATTEMPT_TRANSITIONS) - {None} == set(AttemptState.values)
    assert ATTEMPT_TRANSITIONS[AttemptState.PAID] == frozenset()
    assert set(PROVIDER_STATES.values()) == set(AttemptState.values) - {AttemptState.CREATED}


def test_every_move_from_every_state(ledger):
    from django.utils import timezone

    sequence = iter(range(1, 1000))
    for origin in AttemptState.values:
        for reported, target in PROVIDER_STATES.items():
            number = next(sequence)
            request = PaymentRequest.objects.create(
                regie=ledger.regie,
                family=ledger.family,
                number=f"T-{number}",
                year=2026,
                sequence=number,
                amount="10.00",
            )
            attempt = PaymentAttempt.objects.create(
                request=request,
                provider="simulator-payfip",
                provider_ref=f"ref{number}",
                amount="10.00",
                state=origin,
                paid_at=timezone.now() if origin == AttemptState.PAID else None,
            )
            attempt_settle(
                attempt_id=attempt.pk,
                status=ProviderStatus(state=reported, amount=Decimal("10.00")),
                source=AttemptSource.RECONCILIATION,
            )
            attempt.refresh_from_db()
            allowed = target in ATTEMPT_TRANSITIONS[origin]
            expected = target if allowed else origin
            assert attempt.state == expected, (origin, reported)
            paid_now = allowed and target == AttemptState.PAID
            assert Payment.objects.filter(attempt=attempt).exists() == paid_now, (origin, reported)
            assert attempt.needs_review == (paid_now and origin in ATTEMPT_OVER), (origin, reported)
            assert attempt.events.get().state_after == expected


def test_an_unknown_answer_changes_nothing_and_is_kept(ledger):
    from .online import open_attempt

    attempt, _created = open_attempt(ledger.family, ledger.invoices)
    attempt_settle(
        attempt_id=attempt.pk,
        status=ProviderStatus(state=PaymentState.UNKNOWN, raw={"resultrans": "?"}),
        source=AttemptSource.NOTIFICATION,
    )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING
    assert attempt.events.last().note == "unknown_state"


def test_a_paid_for_another_amount_records_nothing_and_is_raised_to_staff(ledger):
    from .online import open_attempt

    attempt, _created = open_attempt(ledger.family, ledger.invoices)
    attempt_settle(
        attempt_id=attempt.pk,
        status=ProviderStatus(state=PaymentState.PAID, amount=Decimal("1.00")),
        source=AttemptSource.RECONCILIATION,
    )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING
    assert attempt.needs_review and "1.00" in attempt.review_note
    assert not Payment.objects.exists()
