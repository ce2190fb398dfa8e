"""What the Enfance staff group may do in invoicing's staff screens (granted in apps.py):
set up the régies, prepare, review and finalize runs, read and cancel invoices, export."""

ENFANCE_PERMISSIONS = [
    "invoicing.view_regie",
    "invoicing.add_regie",
    "invoicing.change_regie",
    # Prepare a run (or prepare it again) / finalize it.
    "invoicing.view_invoicingrun",
    "invoicing.add_invoicingrun",
    "invoicing.change_invoicingrun",
    # Read invoices and credit notes; cancel an invoice by a credit note.
    "invoicing.view_invoice",
    "invoicing.change_invoice",
    "invoicing.view_invoiceline",
    "invoicing.view_moneyevent",
]
