"""The simulator's pages: the provider's payment page as the family sees it.

Mounted at /paiement-simulateur/ (`simulator_urls.py`); every page answers 404 unless the
simulator is enabled (`simulator_enabled`).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .providers import simulator

CHOICE_LABELS = {
    "P": gettext_lazy("Paid by card"),
    "V": gettext_lazy("Paid by direct debit"),
    "R": gettext_lazy("Card refused"),
    "Z": gettext_lazy("Direct debit refused"),
    "A": gettext_lazy("Abandoned"),
    "P_twice": gettext_lazy("Paid by card, notify twice"),
    "P_late": gettext_lazy("Paid by card, notify late"),
    "P_never": gettext_lazy("Paid by card, never notify"),
    "P5_then_P": gettext_lazy("Still running (P5) at the first lookup, then paid by card"),
}


def _enabled():
    if not simulator.simulator_enabled():
        raise Http404


def _payment_or_404(provider_ref, protocol):
    record = simulator.get_payment(provider_ref or "")
    if record is None or record["protocol"] != protocol:
        raise Http404
    return record


def _page(request, record, *, action):
    names = simulator.CHOICES if record["protocol"] == "payfip" else simulator.SYSTEMPAY_CHOICES
    return render(
        request,
        "invoicing/simulator/payment.html",
        {
            "payment": record,
            "action": action,
            "choices": [(name, CHOICE_LABELS[name]) for name in names],
            "choice_label": CHOICE_LABELS.get(record["choice"] or ""),
            "return_address": simulator.return_address(record),
        },
    )


def _choose(request, record):
    try:
        return HttpResponseRedirect(
            simulator.choose(record["provider_ref"], request.POST.get("choice", ""))
        )
    except LookupError:
        return HttpResponseBadRequest(_("Unknown choice."))
    except ValueError:
        messages.error(request, _("This payment is already over."))
        return None


def _provider_page(request, *, provider: str, key: str, url_name: str):
    """A provider's payment page, the payment named by `?<key>=<ref>`: shown, or, on a POST,
    the family's choice applied (the page shown again when it cannot be)."""
    _enabled()
    provider_ref = request.GET.get(key) or request.POST.get(key)
    record = _payment_or_404(provider_ref, provider)
    if request.method == "POST":
        response = _choose(request, record)
        if response is not None:
            return response
        record = simulator.get_payment(provider_ref)
    return _page(request, record, action=reverse(f"payment_simulator:{url_name}"))


@require_http_methods(["GET", "POST"])
def payfip(request):
    """PayFiP's page, reached at `?idop=<id>` as PayFiP's own."""
    return _provider_page(request, provider="payfip", key="idop", url_name="payfip")


@csrf_exempt  # the shop's form comes from the shop's site, as it does to Lyra
@require_POST
def systempay(request):
    """Lyra's entry: the family's browser posts the shop's signed form."""
    _enabled()
    fields = {key: request.POST.get(key, "") for key in request.POST}
    provider_ref = simulator.register_systempay_form(fields)
    if provider_ref is None:
        return HttpResponseBadRequest(_("The payment form's signature is wrong."))
    return redirect(f"{reverse('payment_simulator:systempay_page')}?ref={provider_ref}")


@require_http_methods(["GET", "POST"])
def systempay_page(request):
    return _provider_page(request, provider="systempay", key="ref", url_name="systempay_page")


@require_http_methods(["GET", "POST"])
def late_notifications(request):
    """The notifications kept for later, and a button that sends them all now."""
    _enabled()
    if request.method == "POST":
        sent = simulator.send_late_notifications(everything=True)
        messages.success(request, _("Notifications sent: %(count)d.") % {"count": len(sent)})
        return redirect("payment_simulator:late_notifications")
    return render(
        request,
        "invoicing/simulator/late_notifications.html",
        {"payments": simulator.late_notifications()},
    )
