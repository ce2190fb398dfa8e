"""The family's invoice documents in the portal (the screens that list them come later)."""

from django.urls import path

from . import views

app_name = "invoicing"

urlpatterns = [
    path("<id:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
]
