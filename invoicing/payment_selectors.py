"""What a family reads of its payments and online payments: always filtered by the family."""

from django.db.models import Prefetch

from .models import Allocation, Payment, PaymentAttempt, PaymentRequest


def family_payments(*, family) -> list[Payment]:
    """The family's payments, newest first, with the invoices each paid (two queries)."""
    return list(
        Payment.objects.for_family(family)
        .select_related("regie")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("invoice").order_by("invoice_id"),
            )
        )
        .order_by("-received_on", "-pk")
    )


def family_payment(*, family, payment_id: int) -> Payment | None:
    return (
        Payment.objects.for_family(family)
        .select_related("regie", "attempt")
        .filter(pk=payment_id)
        .first()
    )


def family_payment_request(*, family, number: str) -> PaymentRequest | None:
    return PaymentRequest.objects.filter(family=family, number=number).first()


def latest_attempt(request: PaymentRequest) -> PaymentAttempt | None:
    return request.attempts.select_related("payment").order_by("-created_at", "-pk").first()
