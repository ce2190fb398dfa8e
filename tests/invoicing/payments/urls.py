"""The site with the simulator's pages mounted, and a notification endpoint that parses with the
provider under test and records what it understood (the ledger's view comes later)."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from cms import urls as site_urls
from invoicing.payments.errors import ProviderRefused


class Recorder:
    """What the notification endpoint received: parsed notifications and refusals, in order."""

    def __init__(self):
        self.provider = None
        self.expected = None
        self.received = []  # Notification or ProviderRefused, in arrival order
        self.bodies = []

    @property
    def notifications(self):
        return [item for item in self.received if not isinstance(item, ProviderRefused)]


recorder = Recorder()


@csrf_exempt
def notify(request):
    recorder.bodies.append(request.body)
    try:
        notification = recorder.provider.parse_notification(request, expected=recorder.expected)
    except ProviderRefused as error:
        recorder.received.append(error)
        return HttpResponseBadRequest(error.reason)
    recorder.received.append(notification)
    return HttpResponse("OK")


def strict_notify(request):
    """A notification view that forgot csrf_exempt: a provider's POST cannot reach it."""
    return HttpResponse("OK")


def back(request):
    return HttpResponse("back")


urlpatterns = [
    path("paiement-simulateur/", include("invoicing.payments.simulator_urls")),
    path("paiement/notification/", notify, name="notify"),
    path("paiement/retour/", back, name="back"),
    path("paiement/notification-stricte/", strict_notify),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
