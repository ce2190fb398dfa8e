import pytest

from core.errors import DomainError, UploadError
from portal_features.accounts.services import AccountError
from portal_features.errors import PortalError
from reservations.errors import CertificateError, ReservationError


@pytest.mark.parametrize("error_type", [PortalError, ReservationError, UploadError, AccountError])
def test_every_apps_error_is_a_domain_error_with_its_message(error_type):
    error = error_type("Refusé.")

    assert isinstance(error, DomainError)
    assert error.message == "Refusé."
    assert str(error) == "Refusé."


def test_a_refused_certificate_is_shown_next_to_its_field_and_refuses_the_absence():
    error = CertificateError("Ce fichier n'est pas un document PDF, JPEG ou PNG.")

    assert isinstance(error, UploadError) and isinstance(error, ReservationError)
    assert error.index == 0
    assert error.reasons == []
