"""The « Facturation » menu of the staff: régies, tariffs and their simulation, runs,
invoices and credit notes, lines, the log of money actions; the « Paiements » menu: payments,
online attempts, deposit slips, mandates, debit batches, collection dockets. Each screen is
built on the staff-screen kit (core/staff)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.staff import ModelAdminGroup, register
from reservations.admin.prices import URL_NAME as SIMULATION_URL_NAME
from reservations.admin.prices import SimulationMenuItem

from .collection import CollectionDocketAdmin, DebitBatchAdmin, MandateQueue
from .invoices import InvoiceAdmin
from .lines import InvoiceLineAdmin, MoneyEventAdmin
from .online import PaymentAttemptAdmin
from .payments import DepositSlipAdmin, PaymentAdmin
from .regies import RegieAdmin
from .runs import RunAdmin
from .tariffs import SiblingReductionAdmin, TariffAdmin, TariffBracketAdmin


class InvoicingGroup(ModelAdminGroup):
    menu_label = _("Invoicing")
    menu_icon = "doc-full-inverse"
    menu_order = 230
    items = (
        RunAdmin,
        InvoiceAdmin,
        InvoiceLineAdmin,
        RegieAdmin,
        TariffAdmin,
        TariffBracketAdmin,
        SiblingReductionAdmin,
        MoneyEventAdmin,
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        # « Simuler un prix » is reservations' screen; the régisseur finds it here too.
        items.insert(
            5,
            SimulationMenuItem(
                _("Simulate a price"),
                reverse(SIMULATION_URL_NAME),
                name="invoicing-price-simulation",
                icon_name="tag",
                order=6,
            ),
        )
        return items


register(InvoicingGroup)


class PaymentsGroup(ModelAdminGroup):
    """« Paiements »: what families paid and how, and what the régisseur hands over to the
    bank and the Trésor."""

    menu_label = _("Payments")
    menu_icon = "doc-full"
    menu_order = 231
    items = (
        PaymentAdmin,
        PaymentAttemptAdmin,
        DepositSlipAdmin,
        MandateQueue,
        DebitBatchAdmin,
        CollectionDocketAdmin,
    )


register(PaymentsGroup)
