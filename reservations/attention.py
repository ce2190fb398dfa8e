"""On the portal home: places offered from a waiting list (with their deadline) and bookings
refused lately, registrations refused lately, administrative files to complete. Four
queries at most, whatever the family's size."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.choices import RequestStatus
from core.french import elide
from core.time import local_today
from portal_features.models import Child
from portal_features.portal.attention import AttentionItem, Priority
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
            priority=Priority.REFUSED,
        )
        for registration in refused
    ]


def _offered_or_refused_days(family, request, *, now) -> list[AttentionItem]:
    """Places offered still open, then bookings refused lately (one query)."""
    days = (
        Reservation.objects.for_family(family)
        .filter(
            Q(status=ReservationStatus.OFFERED, offer_expires_at__gt=now)
            | Q(status=ReservationStatus.REFUSED, decided_at__gte=now - REFUSAL_SHOWN_FOR)
        )
        .select_related("child", "unit")
        .order_by("offer_expires_at", "-decided_at", "pk")
    )
    offered, refused = [], []
    for reservation in days:
        values = {
            "child": reservation.child.first_name,
            "day": date_format(reservation.day, "DATE_FORMAT"),
            "unit": reservation.unit.name,
        }
        if reservation.status == ReservationStatus.OFFERED:
            offered.append(_place_offered(request, reservation, values))
        else:
            refused.append(
                AttentionItem(
                    text=elide(
                        gettext("Booking of %(child)s on %(day)s (%(unit)s) refused") % values,
                        reservation.child.first_name,
                    ),
                    url=portal_reverse(
                        request, "reservations:reservation_detail", reservation_id=reservation.pk
                    ),
                    level="warning",
                    priority=Priority.REFUSED,
                )
            )
    return offered + refused


def _place_offered(request, reservation, values) -> AttentionItem:
    return AttentionItem(
        text=gettext(
            "A place is offered for %(child)s on %(day)s (%(unit)s): accept it before %(deadline)s"
        )
        % {**values, "deadline": local_datetime(reservation.offer_expires_at)},
        url=portal_reverse(request, "reservations:calendar"),
        level="warning",
        priority=Priority.DEADLINE,
    )


def attention_items(family, request, *, now=None) -> list[AttentionItem]:
    now = now or timezone.now()
    today = local_today(now)
    return [
        *_offered_or_refused_days(family, request, now=now),
        *_enrolments_to_complete(family, request, today=today),
        *_refused_registrations(family, request, now=now),
    ]
