"""« Régies »: staff create one with the activities it bills; an activity of another régie
moves to it; a régie is never deleted."""

import pytest
from django.urls import reverse

from invoicing.models import Regie, RegieActivity
from tests import factories
from tests.invoicing.conftest import SIRET

pytestmark = pytest.mark.django_db

CREATE = reverse("invoicing_regie_modeladmin_create")


def form_data(**fields):
    return {
        "name": "Régie restauration",
        "code": "REST",
        "siret": SIRET,
        "regisseur_name": "Claire Dumas",
        "regisseur_title": "Régisseuse titulaire",
        "address_line": "1 place de la Mairie",
        "postal_code": "45000",
        "city": "Montrivel-sur-Loire",
        "public_accountant": "SGC d'Orléans",
        "court_name": "Tribunal administratif d'Orléans",
        "due_days": "30",
        "minimum_amount": "5.00",
        "payment_means": ["online_card", "cheque"],
        "invoice_number_format": "F{regie}-{yy}-{seq:06}",
        "credit_note_number_format": "A{regie}-{yy}-{seq:06}",
        **fields,
    }


def test_create_a_regie_with_its_activities(staff_client, billing):
    canteen = factories.ActivityFactory()
    response = staff_client.post(CREATE, form_data(activities=[canteen.pk, billing.activity.pk]))

    assert response.status_code == 302, response.content.decode()[:3000]
    regie = Regie.objects.get(code="REST")
    assert regie.payment_means == ["online_card", "cheque"]
    # The canteen is linked, and ALSH's activity moved from the other régie.
    assert set(RegieActivity.objects.filter(regie=regie).values_list("activity", flat=True)) == {
        canteen.pk,
        billing.activity.pk,
    }
    assert not RegieActivity.objects.filter(regie=billing.regie).exists()

    edit = reverse("invoicing_regie_modeladmin_edit", args=[regie.pk])
    page = staff_client.get(edit)
    assert page.status_code == 200
    assert sorted(page.context["form"].fields["activities"].initial) == sorted(
        [canteen.pk, billing.activity.pk]
    )
    staff_client.post(edit, form_data(activities=[canteen.pk]))
    assert list(RegieActivity.objects.filter(regie=regie).values_list("activity", flat=True)) == [
        canteen.pk
    ]


def test_a_bad_siret_is_refused_and_a_regie_is_never_deleted(staff_client, billing):
    response = staff_client.post(CREATE, form_data(siret="123"))
    assert response.status_code == 200 and not Regie.objects.filter(code="REST").exists()

    delete = reverse("invoicing_regie_modeladmin_delete", args=[billing.regie.pk])
    assert staff_client.post(delete).status_code in (302, 403)
    assert Regie.objects.filter(pk=billing.regie.pk).exists()


def test_the_tariffs_list_per_unit_with_their_method(staff_client, billing):
    from reservations.models import Tariff, TariffBracket

    tariff = Tariff.objects.create(unit=billing.unit, valid_from="2026-09-01", method="qf_brackets")
    TariffBracket.objects.create(tariff=tariff, qf_min=0, qf_max=700, amount="5.00")
    index = reverse("reservations_tariff_modeladmin_index")

    page = staff_client.get(index, {"activity": billing.activity.pk}).content.decode()
    assert "Prix par tranche de QF" in page
    inspect = staff_client.get(reverse("reservations_tariff_modeladmin_inspect", args=[tariff.pk]))
    assert inspect.status_code == 200 and "5,00" in inspect.content.decode()
    # The price simulation is reachable from the menu.
    assert reverse("reservations_price_simulation") in staff_client.get(index).content.decode()
