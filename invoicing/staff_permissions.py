"""What the Enfance staff group may do in invoicing's staff screens (granted in apps.py):
set up the régies, prepare, review and finalize runs, read and cancel invoices, export;
record and cancel payments, check online attempts, deposit slips, mandates, debits, dockets."""

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
    # Payments: record at the counter, cancel with a reason; deposit slips.
    "invoicing.view_payment",
    "invoicing.add_payment",
    "invoicing.change_payment",
    "invoicing.view_depositslip",
    "invoicing.add_depositslip",
    # Online attempts: check with the provider, reconcile.
    "invoicing.view_paymentattempt",
    "invoicing.change_paymentattempt",
    # Direct debit: decide mandates, prepare batches, record rejects.
    "invoicing.view_mandate",
    "invoicing.change_mandate",
    "invoicing.view_debitbatch",
    "invoicing.add_debitbatch",
    "invoicing.change_debitbatch",
    # Collection dockets for the Trésor.
    "invoicing.view_collectiondocket",
    "invoicing.add_collectiondocket",
]
