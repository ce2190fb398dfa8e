"""Staff reads of a family's file, with bounded queries whatever the family's size."""

from django.db.models import Count, Prefetch, Q

from ..family_file.selectors import household_children
from ..models import (
    ChildMembership,
    Family,
    FamilyEvent,
    Guardian,
)
from ..quotients.selectors import family_quotients

# The file shows the latest events; older ones stay in the database.
EVENTS_SHOWN = 200


def families_search(queryset, search_term: str):
    """Families matching every word of the search, by number, name, guardian or child."""
    for word in search_term.split():
        matching = Family.objects.filter(
            Q(number__icontains=word)
            | Q(name__icontains=word)
            | Q(guardians__email__icontains=word)
            | Q(guardians__last_name__icontains=word)
            | Q(guardians__first_name__icontains=word)
            | Q(guardians__user__email__icontains=word)
            | Q(children__first_name__icontains=word)
            | Q(children__last_name__icontains=word)
        ).values("pk")
        queryset = queryset.filter(pk__in=matching)
    return queryset


def families_for_list(queryset):
    return queryset.annotate(children_total=Count("memberships", distinct=True)).prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.order_by("-is_primary"))
    )


def family_file_for_staff(*, family) -> dict:
    """Everything on the family's file, for the staff's inspect screen."""
    memberships = household_children(family).prefetch_related(
        Prefetch(
            "child__memberships",
            queryset=ChildMembership.objects.exclude(family=family).select_related("family"),
            to_attr="other_memberships",
        ),
    )
    return {
        "guardians": list(family.guardians.select_related("user")),
        "quotients": family_quotients(family=family),
        "memberships": list(memberships),
        "documents": list(family.documents.select_related("document_type", "child", "decided_by")),
        "change_requests": list(family.change_requests.select_related("decided_by")),
        "threads_count": family.threads.count(),
        "events": list(
            FamilyEvent.objects.filter(family=family).select_related("actor")[:EVENTS_SHOWN]
        ),
    }
