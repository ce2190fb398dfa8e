"""The family's direct debit mandate (asked here, validated by staff) and its fiscal
attestations for childcare (from January, per child and year).

The régie and the child come from the form or the query string and are checked against
what the family may choose: another family's child is a 404 (`fiscal_attestation_for_family`).
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.bounds import parse_id
from core.storage import made_file_response
from core.submit import form_submit
from core.time import local_today
from portal_features.models import Child
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse
from portal_features.portal.views import portal_render

from ..choices import PaymentMeans
from ..fiscal import fiscal_attestation_for_family, fiscal_attestations
from ..models import Mandate, Regie
from ..services.sepa import mandate_request
from .forms import MandateForm

TEMPLATES = "invoicing/portal"
FISCAL_YEARS = 3


def _now():
    return timezone.now()


def _debit_regies() -> list[Regie]:
    return [
        regie
        for regie in Regie.objects.order_by("name", "pk")
        if PaymentMeans.DIRECT_DEBIT in (regie.payment_means or [])
    ]


@require_http_methods(["GET", "POST"])
@family_required
def mandate(request):
    """The family's mandates with their status, and the request for a new one."""
    family = request.family
    regies = _debit_regies()
    form = MandateForm(request.POST or None, regies=regies)

    def send(data):
        return mandate_request(
            family=family,
            regie=next(regie for regie in regies if regie.pk == data["regie"]),
            account_holder=data["account_holder"],
            iban=data["iban"],
            bic=data["bic"],
        )

    response = form_submit(
        request,
        form,
        send,
        done=_("Your request was sent: the régie will check it and you will be told."),
        then=lambda _mandate: portal_reverse(request, "invoicing:mandate"),
    )
    if response:
        return response
    mandates = list(Mandate.objects.filter(family=family).select_related("regie"))
    return portal_render(
        request,
        f"{TEMPLATES}/mandate.html",
        {"form": form, "mandates": mandates, "regies": regies, "tab": "mandate"},
    )


@require_http_methods(["GET"])
@family_required
def fiscal(request):
    """The attestations of the last years (a year is over from 1 January); `child` and
    `year` in the query string download one."""
    family = request.family
    now = _now()
    this_year = local_today(now).year
    years = [this_year - offset for offset in range(1, FISCAL_YEARS + 1)]
    if "child" in request.GET:
        child_id = parse_id(request.GET.get("child"))
        year = parse_id(request.GET.get("year"))
        if child_id is None or year not in years:
            raise Http404
        content = fiscal_attestation_for_family(
            family=family, child_id=child_id, year=year, now=now
        )
        child = Child.objects.for_family(family).get(pk=child_id)
        name = _("tax-credit-attestation-%(year)s-%(child)s.pdf") % {
            "year": year,
            "child": child.first_name.lower(),
        }
        return made_file_response(content, name, "application/pdf", private=True)
    rows = [(year, fiscal_attestations(year=year, family=family)) for year in years]
    return portal_render(request, f"{TEMPLATES}/fiscal.html", {"rows": rows, "tab": "fiscal"})
