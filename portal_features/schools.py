"""The commune's schools, as families choose them for their children.

Staff list them in the commune's settings (one a line); until they do, the schools already
written on children's files are offered. Classes are `Child.SchoolLevel`, the values the
activities' groups choose from, so a child's class decides its groups from the start."""

from cms.models import CommuneSettings

from .models import Child


def commune_schools(request) -> list[str]:
    listed = CommuneSettings.for_request(request).school_names
    if listed:
        return listed
    known = Child.objects.exclude(school="").order_by("school")
    return list(known.values_list("school", flat=True).distinct())
