"""The demo's builders, in order. Each step takes the `Demo` and is safe to run again."""

from django.db import transaction

from . import (
    accounts,
    documents,
    everyday,
    families,
    invoicing,
    library,
    news,
    pages,
    payments,
    portal,
    reservations,
    site,
)

STEPS = [
    accounts.ensure_accounts,
    library.ensure_documents,
    pages.ensure_pages,
    news.ensure_news,
    site.ensure_home_page,
    site.ensure_commune_settings,
    portal.ensure_portal_page,
    families.ensure_reference_data,
    families.ensure_families,
    # Before the enrolments and registrations, which need the documents valid.
    documents.ensure_supporting_documents,
    reservations.ensure_reservations,
    invoicing.ensure_invoicing,
    payments.ensure_payments,
    everyday.ensure_everyday,
]


@transaction.atomic
def build_demo():
    """Build (or complete) the demo commune on the default site, all or nothing."""
    demo = site.start_demo()
    for step in STEPS:
        step(demo)
    return demo
