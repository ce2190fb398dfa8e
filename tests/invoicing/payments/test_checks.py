"""The simulator cannot run in production unseen: a system check stops the site."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from invoicing.payments.checks import check_payment_provider_identifiers, check_payment_settings


def ids(errors):
    return [error.id for error in errors]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = False
    return settings


def test_simulator_enabled_outside_debug_is_an_error(production):
    production.PAYMENT_SIMULATOR_ENABLED = True
    assert ids(check_payment_settings()) == ["invoicing.E001"]


def test_the_error_stops_manage_py_check(production):
    production.PAYMENT_SIMULATOR_ENABLED = True
    with pytest.raises(SystemCheckError, match="invoicing.E001"):
        call_command("check")


def test_the_explicit_setting_allows_it_for_a_demonstration_site(production):
    production.PAYMENT_SIMULATOR_ENABLED = True
    production.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = True
    assert check_payment_settings() == []


def test_simulator_off_in_production_is_fine(production):
    production.PAYMENT_SIMULATOR_ENABLED = False
    assert check_payment_settings() == []


def test_simulator_in_debug_is_fine(settings):
    settings.DEBUG = True
    settings.PAYMENT_SIMULATOR_ENABLED = True
    settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = False
    assert check_payment_settings() == []


def test_production_settings_leave_the_simulator_off():
    from cms.settings import base

    assert base.PAYMENT_SIMULATOR_ENABLED is False
    assert base.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION is False


def test_unknown_modes_are_errors(settings):
    settings.PAYFIP_MODE = "prod"
    settings.SYSTEMPAY_MODE = "LIVE"
    assert ids(check_payment_settings()) == ["invoicing.E002", "invoicing.E003"]


@pytest.mark.parametrize("numcli", ["", "12345", "abcdef"])
def test_payfip_without_a_client_number_is_told_at_deploy(production, numcli):
    production.PAYMENT_PROVIDER = "payfip"
    production.PAYFIP_NUMCLI = numcli
    assert ids(check_payment_provider_identifiers()) == ["invoicing.W001"]


def test_payfip_with_its_client_number_is_fine(production):
    production.PAYMENT_PROVIDER = "payfip"
    production.PAYFIP_NUMCLI = "123456"
    assert check_payment_provider_identifiers() == []


@pytest.mark.parametrize("provider", ["systempay", "payzen"])
def test_systempay_without_its_shop_id_or_key_is_told_at_deploy(production, provider):
    production.PAYMENT_PROVIDER = provider
    production.SYSTEMPAY_SITE_ID = "12345678"
    production.SYSTEMPAY_KEY = ""
    assert ids(check_payment_provider_identifiers()) == ["invoicing.W002"]
    production.SYSTEMPAY_KEY = "secret"
    assert check_payment_provider_identifiers() == []


def test_the_warning_stops_check_deploy_at_warning_level(production):
    production.PAYMENT_PROVIDER = "payfip"
    production.PAYFIP_NUMCLI = ""
    with pytest.raises(SystemCheckError, match="invoicing.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
