"""PayFiP through eopayment's payfip_ws: what is sent, and where the truth comes from."""

import datetime
from decimal import Decimal

import pytest
import responses
from django.test import RequestFactory

from core.time import PARIS
from invoicing.payments.errors import PaymentRequestInvalid, ProviderError, ProviderRefused
from invoicing.payments.providers import (
    NotificationKind,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    get_provider,
)

from . import soap

IDOP = "cc0cb210-1cd4-11ea-8cca-0213ad91a103"
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=PARIS)


def request_data(**changes):
    values = {
        "reference": "DP-2026-000123",
        "amount": Decimal("42.50"),
        "email": "claire.dupont@example.fr",
        "subject": "Périscolaire – septembre d'Hugo",
        "return_url": "https://portail.example.fr/paiement/retour/",
        "notify_url": "https://portail.example.fr/paiement/notification/",
    }
    return PaymentRequestData(**{**values, **changes})


@pytest.fixture
def provider():
    return get_provider("payfip", {"numcli": "123456", "mode": "activation"})


@pytest.fixture
def soap_service():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _no_real_network(soap_service):
    """Any call the test did not expect fails instead of reaching the DGFiP."""


def answer(soap_service, body, status=200):
    soap_service.add(
        responses.POST, soap.SERVICE_URL, body=body, status=status, content_type="text/xml"
    )


def test_create_sends_the_checked_fields_and_redirects_to_payfip(provider, soap_service):
    answer(soap_service, soap.created(IDOP))

    created = provider.create(request_data(), now=NOW)

    assert created.provider_ref == IDOP
    assert created.redirect_url == f"https://www.payfip.gouv.fr/tpa/paiementws.web?idop={IDOP}"
    (call,) = soap_service.calls
    assert soap.sent_fields(call.request.body, "creerPaiementSecurise") == {
        "exer": "2026",
        "mel": "claire.dupont@example.fr",
        "montant": "4250",
        "numcli": "123456",
        "objet": "Periscolaire septembre d Hugo",
        "refdet": "DP2026000123",
        "saisie": "X",
        "urlnotif": "https://portail.example.fr/paiement/notification/",
        "urlredirect": "https://portail.example.fr/paiement/retour/",
    }
    assert created.sent["refdet"] == "DP2026000123"


def test_year_defaults_to_the_current_year_in_paris(provider, soap_service):
    answer(soap_service, soap.created(IDOP))
    new_year_in_paris = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)

    provider.create(request_data(), now=new_year_in_paris)

    assert (
        soap.sent_fields(soap_service.calls[0].request.body, "creerPaiementSecurise")["exer"]
        == "2027"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("0.50")}, "montant"),
        ({"amount": Decimal("100000.01")}, "montant"),
        ({"email": ""}, "mel"),
        ({"reference": "DP-2026-ÉTÉ"}, "refdet"),
    ],
)
def test_a_broken_rule_is_refused_before_any_call(provider, soap_service, changes, field):
    with pytest.raises(PaymentRequestInvalid) as error:
        provider.create(request_data(**changes), now=NOW)
    assert error.value.field == field
    assert len(soap_service.calls) == 0


def test_a_bad_client_number_is_refused_before_any_call(soap_service):
    provider = get_provider("payfip", {"numcli": "12345", "mode": "test"})
    with pytest.raises(PaymentRequestInvalid):
        provider.create(request_data(), now=NOW)
    assert len(soap_service.calls) == 0


def test_a_fault_at_creation_is_a_provider_error_with_its_code(provider, soap_service):
    answer(soap_service, soap.fault("T1", "Numéro client inconnu"), status=500)
    with pytest.raises(ProviderError) as error:
        provider.create(request_data(), now=NOW)
    assert error.value.code == "T1"


def test_mode_comes_from_the_settings(settings, soap_service):
    settings.PAYFIP_NUMCLI = "654321"
    settings.PAYFIP_MODE = "production"
    answer(soap_service, soap.created(IDOP))

    get_provider("payfip").create(request_data(), now=NOW)

    fields = soap.sent_fields(soap_service.calls[0].request.body, "creerPaiementSecurise")
    assert (fields["numcli"], fields["saisie"]) == ("654321", "W")


def post(data, **extra):
    return RequestFactory().post("/paiement/notification/", data=data, **extra)


def test_notification_is_only_a_trigger_naming_the_idop(provider, soap_service):
    notification = provider.parse_notification(post({"idOp": IDOP}))

    assert notification.provider_ref == IDOP
    assert notification.kind == NotificationKind.TRIGGER
    assert notification.status is None
    assert len(soap_service.calls) == 0
    assert provider.notification_is_trusted is False


def test_a_forged_result_in_the_notification_is_ignored_the_lookup_decides(provider, soap_service):
    answer(soap_service, soap.detail(idOp=IDOP, resultrans="R", montant="4250", saisie="X"))

    notification = provider.parse_notification(
        post({"idOp": IDOP, "resultrans": "P", "montant": "4250"})
    )
    status = provider.fetch_status(notification.provider_ref, created_at=NOW, now=NOW)

    assert notification.status is None
    assert status.state == PaymentState.REFUSED
    assert soap.sent_fields(
        soap_service.calls[0].request.body, "recupererDetailPaiementSecurise"
    ) == {"idOp": IDOP}


@pytest.mark.parametrize(
    "data", [{}, {"idOp": ""}, {"idOp": "abc def"}, {"idOp": "x" * 65}, {"idop": IDOP}]
)
def test_a_notification_without_a_valid_idop_is_refused(provider, data):
    with pytest.raises(ProviderRefused) as error:
        provider.parse_notification(post(data))
    assert error.value.reason == "malformed"


def test_a_get_is_no_notification(provider):
    with pytest.raises(ProviderRefused):
        provider.parse_notification(RequestFactory().get("/n/", {"idOp": IDOP}))


def test_the_browser_return_names_the_idop_without_being_believed(provider):
    assert provider.parse_return(RequestFactory().get("/r/", {"idop": IDOP})) == IDOP
    assert provider.parse_return(RequestFactory().get("/r/", {"idop": "<script>"})) is None
    assert provider.parse_return(RequestFactory().get("/r/")) is None


@pytest.mark.parametrize(
    ("resultrans", "state", "method"),
    [
        ("P", PaymentState.PAID, PaymentMethod.CARD),
        ("V", PaymentState.PAID, PaymentMethod.DIRECT_DEBIT),
        ("R", PaymentState.REFUSED, PaymentMethod.CARD),
        ("Z", PaymentState.REFUSED, PaymentMethod.DIRECT_DEBIT),
        ("A", PaymentState.ABANDONED, PaymentMethod.UNKNOWN),
        ("Q", PaymentState.UNKNOWN, PaymentMethod.UNKNOWN),
        ("", PaymentState.UNKNOWN, PaymentMethod.UNKNOWN),
    ],
)
def test_resultrans_gives_the_state(provider, soap_service, resultrans, state, method):
    answer(
        soap_service,
        soap.detail(
            dattrans="15092026",
            heurtrans="1007",
            exer="2026",
            idOp=IDOP,
            mel="claire.dupont@example.fr",
            montant="4250",
            numauto="112233",
            numcli="123456",
            refdet="DP2026000123",
            resultrans=resultrans,
            saisie="W",
        ),
    )

    status = provider.fetch_status(IDOP, created_at=NOW, now=NOW)

    assert (status.state, status.method) == (state, method)
    assert status.amount == Decimal("42.50")
    assert status.test is False
    assert status.raw["refdet"] == "DP2026000123"
    if state == PaymentState.PAID:
        assert status.paid_at == datetime.datetime(2026, 9, 15, 10, 7, tzinfo=PARIS)
        assert status.transaction_id == "112233"
    else:
        assert status.paid_at is None


def test_a_test_payment_says_so(provider, soap_service):
    answer(soap_service, soap.detail(idOp=IDOP, resultrans="P", montant="100", saisie="T"))
    assert provider.fetch_status(IDOP).test is True


@pytest.mark.parametrize(
    ("minutes", "state"),
    [(0, PaymentState.PENDING), (19, PaymentState.PENDING), (20, PaymentState.EXPIRED)],
)
def test_p5_is_pending_for_20_minutes_then_expired(provider, soap_service, minutes, state):
    answer(soap_service, soap.fault("P5", "Transaction en cours"), status=500)

    status = provider.fetch_status(
        IDOP, created_at=NOW, now=NOW + datetime.timedelta(minutes=minutes)
    )

    assert status.state == state
    assert status.raw["code"] == "P5"


def test_p1_is_expired_whatever_the_age(provider, soap_service):
    answer(soap_service, soap.fault("P1", "IdOp incorrect"), status=500)
    assert provider.fetch_status(IDOP, created_at=NOW, now=NOW).state == PaymentState.EXPIRED


def test_another_fault_or_no_answer_is_a_provider_error(provider, soap_service):
    answer(soap_service, soap.fault("P3", "Erreur"), status=500)
    with pytest.raises(ProviderError) as error:
        provider.fetch_status(IDOP, created_at=NOW, now=NOW)
    assert error.value.code == "P3"

    soap_service.replace(responses.POST, soap.SERVICE_URL, body=ConnectionError("down"))
    with pytest.raises(ProviderError):
        provider.fetch_status(IDOP, created_at=NOW, now=NOW)
