"""The family's invoice documents in the portal (the screens that list them come later)."""

from django.urls import path

from . import payments, views

app_name = "invoicing"

urlpatterns = [
    path("<id:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("pay/", payments.pay, name="pay"),
    path("payments/", payments.payment_list, name="payments"),
    path(
        "payments/return/<str:request_number>/",
        payments.payment_return,
        name="payment_return",
    ),
    path("payments/<id:payment_id>/receipt/", payments.receipt, name="receipt"),
]
