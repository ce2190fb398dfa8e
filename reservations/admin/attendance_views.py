"""Pointage: the attendance sheet of a unit on a day, for a tablet, its PDF, and the
kitchen list of the day.

Views read the choice of day, activity, unit and group, read through the selectors and
save through the attendance services; they decide nothing themselves.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.bounds import parse_day, parse_id, validate_date_in_window
from core.choices import RequestStatus
from core.widgets import DateInput

from ..choices import Attendance
from ..errors import ReservationError
from ..models import Activity, Facility, Group, Registration, Slot, Unit
from ..selectors import attendance as selectors
from ..services.attendance import PayerRequired, attendance_mark, attendance_walk_in
from .pdf import pdf_response, render_pdf

PERMISSION = "reservations.change_reservation"
SHEET_URL = "reservations_attendance"
WALK_IN_URL = "reservations_attendance_walk_in"
SHEET_PDF_URL = "reservations_attendance_pdf"
KITCHEN_URL = "reservations_kitchen"
KITCHEN_PDF_URL = "reservations_kitchen_pdf"
MARK_PREFIX = "attendance-"


def user_can_take_attendance(user) -> bool:
    return user.has_perm(PERMISSION)


def _check(request) -> None:
    if not user_can_take_attendance(request.user):
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


# --- Forms -----------------------------------------------------------------------------


class SheetForm(forms.Form):
    """Which sheet: a day, an activity open that day, one of its units, one group or all.

    Without script, each choice narrows the next one on submit: the day lists its
    activities, the activity its units and groups; an activity's only unit is chosen."""

    day = forms.DateField(label=_("Day"), widget=DateInput(), validators=[validate_date_in_window])
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("All groups"),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        day = parse_day(self.data.get("day")) if self.is_bound else None
        day = day or self.initial.get("day") or _today()
        self.fields["activity"].queryset = Activity.objects.filter(
            start_date__lte=day, end_date__gte=day
        ).order_by("sort_order", "name")
        activity_id = parse_id(self.data.get("activity"))
        if activity_id is not None:
            self.fields["unit"].queryset = Unit.objects.filter(activity_id=activity_id)
            self.fields["group"].queryset = Group.objects.filter(activity_id=activity_id)
        # Within the chosen activity, its units and groups by their own names.
        self.fields["unit"].label_from_instance = self.fields["group"].label_from_instance = (
            lambda obj: obj.name
        )

    def clean(self):
        cleaned = super().clean()
        activity = cleaned.get("activity")
        if activity is not None and cleaned.get("unit") is None:
            units = list(self.fields["unit"].queryset[:2])
            if len(units) == 1:
                cleaned["unit"] = units[0]
        return cleaned

    @property
    def sheet(self) -> dict | None:
        """day, unit and group once a unit is chosen, else None."""
        if not self.is_bound or not self.is_valid() or self.cleaned_data["unit"] is None:
            return None
        return {key: self.cleaned_data[key] for key in ("day", "unit", "group")}

    def query(self) -> str:
        data = self.cleaned_data
        params = QueryDict(mutable=True)
        params["day"] = data["day"].isoformat()
        params["activity"] = data["activity"].pk
        params["unit"] = data["unit"].pk
        if data["group"] is not None:
            params["group"] = data["group"].pk
        return params.urlencode()


class WalkInForm(forms.Form):
    registration = forms.ModelChoiceField(
        label=_("Child"),
        queryset=Registration.objects.none(),
        error_messages={"invalid_choice": _("Choose a child registered to this activity.")},
    )

    def __init__(self, data=None, *, unit, group=None, **kwargs):
        super().__init__(data, **kwargs)
        registrations = Registration.objects.filter(
            activity_id=unit.activity_id, status=RequestStatus.ACCEPTED
        ).select_related("child", "group")
        if group is not None:
            registrations = registrations.filter(group=group)
        self.fields["registration"].queryset = registrations


class KitchenForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput(), validators=[validate_date_in_window])
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.all(),
        required=False,
        empty_label=_("All facilities"),
    )


# --- The attendance sheet ---------------------------------------------------------------


def _sheet_context(form) -> dict:
    sheet = form.sheet
    if sheet is None:
        return {"form": form}
    rows = selectors.attendance_sheet(**sheet)
    candidates = selectors.walk_in_candidates(**sheet)
    query = form.query()
    return {
        "form": form,
        "rows": rows,
        "sheet": sheet,
        "query": query,
        "present_count": sum(row.is_present for row in rows),
        "absent_count": sum(row.is_absent for row in rows),
        "walk_in_choices": [
            (registration.pk, f"{registration.child} ({registration.group.name})")
            for registration in candidates
        ],
        "pdf_url": f"{reverse(SHEET_PDF_URL)}?{query}",
    }


def _sheet_title(sheet) -> str:
    title = f"{sheet['unit']} – {date_format(sheet['day'], 'l j F Y')}"
    if sheet["group"] is not None:
        title += f" – {sheet['group'].name}"
    return title


def sheet_view(request):
    """GET: choose the sheet and show it. POST: save every child's mark at once."""
    _check(request)
    if request.method == "POST":
        return _save_marks(request)
    form = SheetForm(request.GET if request.GET else None, initial={"day": _today()})
    context = _sheet_context(form)
    context["kitchen_url"] = (
        f"{reverse(KITCHEN_URL)}?day={form.sheet['day'].isoformat()}"
        if form.sheet
        else reverse(KITCHEN_URL)
    )
    if form.sheet:
        context["sheet_title"] = _sheet_title(form.sheet)
    return TemplateResponse(request, "reservations/admin/attendance.html", context)


def _save_marks(request):
    form = SheetForm(request.POST)
    if form.sheet is None:
        messages.error(request, gettext("Choose the day, the activity and the unit first."))
        return redirect(reverse(SHEET_URL))
    on_sheet = set(selectors.sheet_reservations(**form.sheet).values_list("pk", flat=True))
    marks = {value: [] for value in Attendance.values}
    for name, value in request.POST.items():
        if not name.startswith(MARK_PREFIX):
            continue
        reservation_id = name.removeprefix(MARK_PREFIX)
        if reservation_id.isdigit() and int(reservation_id) in on_sheet and value in marks:
            marks[value].append(int(reservation_id))
    saved = 0
    for value, reservation_ids in marks.items():
        if reservation_ids:
            saved += attendance_mark(
                reservation_ids=reservation_ids, attendance=value, actor=request.user
            )
    messages.success(
        request,
        ngettext(
            "Attendance saved for %(count)d child.",
            "Attendance saved for %(count)d children.",
            saved,
        )
        % {"count": saved},
    )
    return redirect(f"{reverse(SHEET_URL)}?{form.query()}")


@require_POST
def walk_in_view(request):
    """Record a registered child who came without a booking, present on the sheet's day."""
    _check(request)
    form = SheetForm(request.POST)
    sheet = form.sheet
    if sheet is None:
        messages.error(request, gettext("Choose the day, the activity and the unit first."))
        return redirect(reverse(SHEET_URL))
    back = redirect(f"{reverse(SHEET_URL)}?{form.query()}")
    walk_in = WalkInForm(request.POST, unit=sheet["unit"], group=sheet["group"])
    if not walk_in.is_valid():
        messages.error(request, walk_in.errors["registration"][0])
        return back
    registration = walk_in.cleaned_data["registration"]
    slot = Slot.objects.filter(
        unit=sheet["unit"], group=registration.group, day=sheet["day"]
    ).first()
    if slot is None:
        messages.error(request, gettext("The activity is not open that day for this group."))
        return back
    try:
        attendance_walk_in(
            child_id=registration.child_id,
            slot_id=slot.pk,
            actor=request.user,
            family_id=parse_id(request.POST.get("payer")),
        )
    except PayerRequired as error:
        # The sheet again, asking which household pays (nothing recorded yet).
        context = _sheet_context(form)
        context.update(
            sheet_title=_sheet_title(sheet),
            kitchen_url=f"{reverse(KITCHEN_URL)}?day={sheet['day'].isoformat()}",
            payer_question=error.message,
            payer_registration=registration,
            payer_choices=[(family.pk, str(family)) for family in error.households],
        )
        return TemplateResponse(request, "reservations/admin/attendance.html", context)
    except ReservationError as error:
        messages.error(request, error.message)
        return back
    messages.success(
        request,
        gettext("%(child)s is recorded present without booking.") % {"child": registration.child},
    )
    return back


def sheet_pdf_view(request):
    """The sheet as a PDF, to print."""
    _check(request)
    form = SheetForm(request.GET)
    sheet = form.sheet
    if sheet is None:
        messages.error(request, gettext("Choose the day, the activity and the unit first."))
        return redirect(reverse(SHEET_URL))
    content = render_pdf(
        "reservations/pdf/attendance.html",
        {
            "rows": selectors.attendance_sheet(**sheet),
            "sheet": sheet,
            "sheet_title": _sheet_title(sheet),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    return pdf_response(content, f"pointage-{sheet['day'].isoformat()}-{sheet['unit'].pk}.pdf")


# --- The kitchen list -------------------------------------------------------------------


def _kitchen(request):
    form = KitchenForm(request.GET if request.GET else None, initial={"day": _today()})
    if form.is_bound and form.is_valid():
        day, facility = form.cleaned_data["day"], form.cleaned_data["facility"]
    else:
        day, facility = _today(), None
    query = QueryDict(mutable=True)
    query["day"] = day.isoformat()
    if facility is not None:
        query["facility"] = facility.pk
    return {
        "form": form,
        "day": day,
        "facilities": selectors.kitchen_list(day=day, facility=facility),
        "meal_types": [meal_type.label for meal_type in selectors.MEAL_TYPES],
        "pdf_url": f"{reverse(KITCHEN_PDF_URL)}?{query.urlencode()}",
        "sheet_url": reverse(SHEET_URL),
    }


def kitchen_view(request):
    """Meals of the day per facility and activity, by meal type, with PAI and allergies."""
    _check(request)
    return TemplateResponse(request, "reservations/admin/kitchen.html", _kitchen(request))


def kitchen_pdf_view(request):
    _check(request)
    context = _kitchen(request)
    if context["form"].is_bound and not context["form"].is_valid():
        # Its links carry a valid day: a forged one prints nothing (the screen says why).
        raise Http404
    context["printed_at"] = timezone.localtime()
    content = render_pdf("reservations/pdf/kitchen.html", context, request=request)
    return pdf_response(content, f"repas-{context['day'].isoformat()}.pdf")
