"""The attempt's state machine, as `attempt_settle` applies it: every allowed move is made,
every other one is ignored (and kept in the history), a paid attempt never moves, and a
« paid » after refused, abandoned or expired is recorded and flagged. The table is
`invoicing.attempt` (see tests/transitions.py)."""

from decimal import Decimal

import pytest

from core.states import allowed_pairs
from invoicing.choices import ATTEMPT_OVER, ATTEMPT_TRANSITIONS, AttemptSource, AttemptState
from invoicing.models import Payment, PaymentAttempt, PaymentRequest
from invoicing.payments.providers import PaymentState, ProviderStatus
from invoicing.services.online import PROVIDER_STATES, attempt_settle
from tests.transitions import Coverage, assert_covered, forbidden, pair_ids

from .online import open_attempt

pytestmark = pytest.mark.django_db

EVERY_MOVE = "test_every_move_from_every_state"
TRANSITION_COVERAGE = {
    "invoicing.attempt": Coverage(
        {
            pair: "test_an_attempt_is_created_then_opened_at_the_provider"
            if pair[0] is None
            else EVERY_MOVE
            for pair in allowed_pairs(ATTEMPT_TRANSITIONS)
        }
    )
}


def test_every_allowed_move_is_declared():
    assert_covered(globals())


def test_an_attempt_is_created_then_opened_at_the_provider(ledger):
    attempt, _created = open_attempt(ledger.family, ledger.invoices[:1])

    assert attempt.events.order_by("pk").first().state_after in {"created", "pending"}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING


@pytest.mark.parametrize(
    ("origin", "target"),
    forbidden("invoicing.attempt"),
    ids=pair_ids(forbidden("invoicing.attempt")),
)
def test_a_forbidden_move_is_never_made(ledger, origin, target):
    from django.utils import timezone

    request = PaymentRequest.objects.create(
        regie=ledger.regie, family=ledger.family, number="T-1", year=2026, sequence=1, amount="10"
    )
    attempt = PaymentAttempt.objects.create(
        request=request,
        provider="simulator-payfip",
        provider_ref="ref1",
        amount="10.00",
        state=origin,
        paid_at=timezone.now() if origin == AttemptState.PAID else None,
    )
    reported = {state: reported for reported, state in PROVIDER_STATES.items()}.get(target)
    if reported is not None:  # no provider reports « created »
        attempt_settle(
            attempt_id=attempt.pk,
            status=ProviderStatus(state=reported, amount=Decimal("10.00")),
            source=AttemptSource.RECONCILIATION,
        )

    attempt.refresh_from_db()
    assert attempt.state == origin
    assert not Payment.objects.filter(attempt=attempt).exists()


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
