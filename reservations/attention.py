"""On the portal home: administrative files to complete, registrations refused lately and
places offered from a waiting list. Four queries at most, whatever the family's size."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.choices import RequestStatus
from core.french import elide
from core.time import local_today
from portal_features.models import Child
from portal_features.portal.attention import AttentionItem
from portal_features.portal.urls import portal_reverse

from .choices import ReservationStatus
from .eligibility import local_datetime
from .models import Enrolment, Registration, Reservation
from .models.registrations import LIVE_REQUEST
from .selectors.requests import enrolment_school_years

# A refusal stays on the home page this long after the decision.
REFUSAL_SHOWN_FOR = datetime.timedelta(days=30)


def _enrolments_to_complete(family, request, *, today) -> list[AttentionItem]:
    school_years = enrolment_school_years(today=today)  # 1 query
    if not school_years:
        return []
    annotations = {
        f"live_{year.pk}": Exists(
            Enrolment.objects.filter(
                child=OuterRef("pk"), school_year=year, status__in=LIVE_REQUEST
            )
        )
        for year in school_years
    }
    children = (
        Child.objects.for_family(family)
        .annotate(**annotations)
        .order_by("birth_date", "first_name", "pk")
    )
    items = []
    for child in children:  # 1 query
        for year in school_years:
            if getattr(child, f"live_{year.pk}"):
                continue
            items.append(
                AttentionItem(
                    text=elide(
                        gettext("Administrative file %(year)s of %(child)s to complete")
                        % {"year": year, "child": child.first_name},
                        child.first_name,
                    ),
                    url=portal_reverse(
                        request,
                        "reservations:enrolment_submit",
                        child_id=child.pk,
                        school_year_id=year.pk,
                    ),
                    level="warning",
                )
            )
    return items


def _refused_registrations(family, request, *, now) -> list[AttentionItem]:
    refused = (
        Registration.objects.for_family(family)
        .filter(status=RequestStatus.REFUSED, decided_at__gte=now - REFUSAL_SHOWN_FOR)
        .select_related("child", "activity")
        .order_by("-decided_at", "-pk")
    )
    if not refused:  # 1 query
        return []
    url = portal_reverse(request, "reservations:registrations")
    return [
        AttentionItem(
            text=elide(
                gettext("Registration of %(child)s to %(activity)s refused")
                % {"child": registration.child.first_name, "activity": registration.activity},
                registration.child.first_name,
            ),
            url=url,
            level="warning",
        )
        for registration in refused
    ]


def _places_offered(family, request, *, now) -> list[AttentionItem]:
    offered = (
        Reservation.objects.for_family(family)
        .filter(status=ReservationStatus.OFFERED, offer_expires_at__gt=now)
        .select_related("child", "unit")
        .order_by("offer_expires_at", "pk")
    )
    if not offered:  # 1 query
        return []
    url = portal_reverse(request, "reservations:calendar")
    return [
        AttentionItem(
            text=gettext(
                "A place is offered for %(child)s on %(day)s (%(unit)s): accept it before "
                "%(deadline)s"
            )
            % {
                "child": reservation.child.first_name,
                "day": date_format(reservation.day, "DATE_FORMAT"),
                "unit": reservation.unit.name,
                "deadline": local_datetime(reservation.offer_expires_at),
            },
            url=url,
            level="warning",
        )
        for reservation in offered
    ]


def attention_items(family, request, *, now=None) -> list[AttentionItem]:
    now = now or timezone.now()
    today = local_today(now)
    return [
        *_places_offered(family, request, now=now),
        *_enrolments_to_complete(family, request, today=today),
        *_refused_registrations(family, request, now=now),
    ]
