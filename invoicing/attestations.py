"""The attendance attestation (« attestation de présence »): per child and period, the days
billed by activity and the amounts invoiced, as an accessible PDF, rendered on demand."""

import datetime

from django.http import Http404
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.models import Child

from .pdf import render_pdf
from .selectors import attendance_attestation_rows

TEMPLATE = "invoicing/pdf/attendance_attestation.html"


def attendance_attestation_pdf(
    *, family, child_id: int, start: datetime.date, end: datetime.date, now=None
) -> bytes:
    """The attestation of one of the family's children; another child gives 404."""
    child = Child.objects.for_family(family).filter(pk=child_id).first()
    if child is None or end < start:
        raise Http404
    rows = attendance_attestation_rows(family=family, child=child, start=start, end=end)
    site = Site.objects.filter(is_default_site=True).first()
    commune = CommuneSettings.for_site(site) if site else None
    return render_pdf(
        TEMPLATE,
        {
            "commune": commune,
            "family": family,
            "child": child,
            "start": start,
            "end": end,
            "rows": rows,
            "days": sum(row.days for row in rows),
            "amount": sum((row.amount for row in rows), 0),
            "issued_on": timezone.localdate(now or timezone.now()),
        },
    )
