"""The list filters of reservations' staff screens, built from the kit's shared ones."""

from django.utils.translation import gettext_lazy as _

from core.staff import date_range_filter, related_filter, school_year_filter

from ..models import Activity, Facility, SchoolYear


def activities():
    return Activity.objects.select_related("school_year").order_by(
        "-school_year__start_date", "sort_order", "name"
    )


def activity_filter(lookup: str):
    """By activity, `lookup` leading from the list's model to the activity's id."""
    return related_filter(_("activity"), "activity", lookup, activities)


SchoolYearFilter = school_year_filter(SchoolYear.objects.all)
FacilityFilter = related_filter(_("facility"), "facility", "facility_id", Facility.objects.all)
DayRangeFilter = date_range_filter("day", _("day"))
