"""Which activities a régie bills: each activity belongs to one régie."""

from django.db import transaction

from ..models import Regie, RegieActivity


def regie_activities_set(*, regie: Regie, activities) -> None:
    """Make `activities` the ones `regie` bills: an activity of another régie moves to it,
    an activity left out no longer belongs to any (until another régie takes it)."""
    chosen = {activity.pk for activity in activities}
    with transaction.atomic():
        RegieActivity.objects.filter(regie=regie).exclude(activity_id__in=chosen).delete()
        moved = set(
            RegieActivity.objects.filter(activity_id__in=chosen).values_list(
                "activity_id", flat=True
            )
        )
        RegieActivity.objects.filter(activity_id__in=moved).update(regie=regie)
        RegieActivity.objects.bulk_create(
            [RegieActivity(activity_id=pk, regie=regie) for pk in sorted(chosen - moved)]
        )
