"""The family's « Factures » tab (namespace "invoicing"), mounted by
portal_features/portal_urls.py: invoices by month, one document's lines, its PDF, the
account statement and the attendance attestation."""

from django.urls import path, register_converter

from core.routes import object_paths

from . import accounts, payments, views


class RequestNumberConverter:
    """A payment request's number as `REQUEST_NUMBER_FORMAT` writes it (« DP-ALSH-2026-000042 »):
    anything else, a bare number included, matches no address (404 whatever the method)."""

    regex = r"DP-[A-Za-z0-9_]+-[0-9]{4}-[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RequestNumberConverter, "request_number")

app_name = "invoicing"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    *object_paths(
        "",
        "invoice_id",
        ("", views.invoice_detail_view, "invoice_detail"),
        ("pdf/", views.invoice_pdf, "invoice_pdf"),
    ),
    path("statement/", views.statement, name="statement"),
    path("attestation/", views.attestation, name="attestation"),
    path("direct-debit/", accounts.mandate, name="mandate"),
    path("tax-credit/", accounts.fiscal, name="fiscal"),
    path("pay/", payments.pay, name="pay"),
    path("payments/", payments.payment_list, name="payments"),
    path(
        "payments/return/<request_number:request_number>/",
        payments.payment_return,
        name="payment_return",
    ),
    path("payments/<id:payment_id>/receipt/", payments.receipt, name="receipt"),
]
