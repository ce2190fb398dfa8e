"""Every staff screen of our apps (lists, items, history, decisions, files, pointage,
occupancy, PDFs…) answers only staff who may list its model: Communication staff, parents and
visitors are refused everywhere, reading or posting; Enfance staff read every one of theirs.

The screens are found in the admin's URLs, so a new one is covered without being named here.
"""

import pytest
from django.urls import reverse

from cms.staff_groups import COMMUNICATION, ENFANCE
from invoicing.models import Invoice, InvoicingRun
from portal_features.models import FamilyEvent, Thread
from reservations.models import Reservation
from tests.admin.screens import build_commune, staff_in, staff_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Screens that only show: whoever may list the model reads them.
READ_ACTIONS = {"index", "inspect", "history", "file", "attachment", "certificate"}


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect (dashboard, login)."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (
            response.url == reverse("wagtailadmin_home")
            or response.url.startswith(reverse("wagtailadmin_login"))
        )
    )


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE, first_name="Sophie", last_name="Marchand")


@pytest.fixture
def commune(home_page, enfance_user):
    return build_commune(home_page, enfance_user)


def test_the_walk_finds_every_kind_of_staff_screen():
    names = {staff_url.name for staff_url in staff_urls()}

    assert {
        "portal_features_family_modeladmin_index",
        "portal_features_family_modeladmin_history",
        "portal_features_signuprequest_modeladmin_accept",
        "portal_features_changerequest_modeladmin_bulk",
        "portal_features_supportingdocument_modeladmin_file",
        "portal_features_thread_modeladmin_attachment",
        "reservations_queues_absences_modeladmin_certificate",
        "reservations_activity_modeladmin_generate_slots",
        "reservations_attendance",
        "reservations_kitchen_pdf",
        "reservations_occupancy",
        "reservations_day_cancel",
        "invoicing_invoicingrun_modeladmin_prepare",
        "invoicing_invoicingrun_modeladmin_finalize",
        "invoicing_invoice_modeladmin_cancel",
        "invoicing_invoice_modeladmin_pdf",
        "invoicing_invoice_modeladmin_statement",
        "invoicing_regie_modeladmin_create",
        "invoicing_payment_modeladmin_counter",
        "invoicing_payment_modeladmin_cancel",
        "invoicing_payment_modeladmin_receipt",
        "invoicing_paymentattempt_modeladmin_refresh",
        "invoicing_paymentattempt_modeladmin_reconcile",
        "invoicing_depositslip_modeladmin_create",
        "invoicing_mandate_modeladmin_validate",
        "invoicing_debitbatch_modeladmin_reject_line",
        "invoicing_collectiondocket_modeladmin_pes",
        "reservations_tariff_modeladmin_index",
    } <= names


@pytest.mark.parametrize("who", ["communication", "parent", "visitor"])
def test_who_may_not_list_a_model_reaches_none_of_its_screens(client, commune, who):
    user = {"communication": staff_in(COMMUNICATION), "parent": commune.parent}.get(who)
    if user is not None:
        client.force_login(user)
    events, unread = FamilyEvent.objects.count(), Thread.objects.filter(staff_unread=True).count()
    statuses = list(Reservation.objects.order_by("pk").values_list("status", flat=True))
    money = (
        list(InvoicingRun.objects.order_by("pk").values_list("pk", "status")),
        list(Invoice.objects.order_by("pk").values_list("pk", "status")),
    )

    answered = []
    for staff_url in staff_urls():
        url = staff_url.url()
        read = client.get(url)
        # 405: a screen that only takes a POST, checked by the post below.
        if not (refused(read) or read.status_code == 405):
            answered.append(("GET", url, read.status_code))
        posted = client.post(url)
        if not refused(posted):
            answered.append(("POST", url, posted.status_code))

    assert answered == []
    # Nothing was seen or changed on their behalf.
    assert FamilyEvent.objects.count() == events
    assert Thread.objects.filter(staff_unread=True).count() == unread
    assert list(Reservation.objects.order_by("pk").values_list("status", flat=True)) == statuses
    assert (
        list(InvoicingRun.objects.order_by("pk").values_list("pk", "status")),
        list(Invoice.objects.order_by("pk").values_list("pk", "status")),
    ) == money


@pytest.mark.parametrize("who", ["enfance", "superuser"])
def test_staff_who_may_list_read_every_screen(client, commune, enfance_user, who):
    user = enfance_user if who == "enfance" else UserFactory(is_superuser=True)
    client.force_login(user)

    unexpected = []
    for staff_url in staff_urls():
        url = staff_url.url()
        response = client.get(url)
        if staff_url.model_admin is None or staff_url.action not in READ_ACTIONS:
            # Forms, decisions and PDFs answer, redirect (a PDF with nothing chosen goes
            # back to its screen), take only a POST, or refuse what the screen never allows
            # (creating a family): never a missing page.
            expected = response.status_code in (200, 302, 403, 405)
        else:
            expected = response.status_code == 200
        if not expected:
            unexpected.append((url, response.status_code))

    assert unexpected == []
