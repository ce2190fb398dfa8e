"""What « Mon calendrier » shows: a month or a week, for every child or one, the days
before today folded apart. Read from the query string (`?month=2026-11`, `?week=2026-W48`,
`?child=12`), so every view is a link and works without JavaScript.

The grid costs the same queries whatever the view: the children of the filter come with
the registrations the grid reads anyway, the basket's count with its items.
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from core.bounds import in_date_window, parse_id, parse_month
from portal_features.models import Child

from ..selectors.calendar import CODES, days_calendar, month_calendar
from .calendar_cells import CellWriter, days_of, week_columns

WEEK_RE = re.compile(r"(\d{4})-W(\d{1,2})")
MONTH, WEEK = "month", "week"


@dataclass
class DayLine:
    """One open day of a child's list for narrow screens, written (`html`) with its units
    and their states."""

    day: datetime.date
    html: str


@dataclass
class GridRow:
    """A unit's row of the table: the selector's row (the PDF reads its cells) and its
    cells written once for the screen."""

    unit: object
    cells: list
    html: str


@dataclass
class ChildMonth:
    child: object
    # The table's row of day headers.
    header: str
    # (activity, its GridRows): one <tbody> per activity in the table.
    activities: list
    # Today and after; the days before today are folded apart (`past_lines`).
    day_lines: list[DayLine]
    past_lines: list[DayLine] = field(default_factory=list)

    @property
    def days_html(self) -> SafeString:
        return mark_safe("".join(line.html for line in self.day_lines))  # noqa: S308 (written safe)

    @property
    def past_html(self) -> SafeString:
        return mark_safe("".join(line.html for line in self.past_lines))  # noqa: S308 (written safe)


def week_param(day: datetime.date) -> str:
    """The ISO week of `day` as `<input type="week">` writes it: "2026-W48"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value, *, today: datetime.date) -> datetime.date | None:
    """The Monday of the ISO week "YYYY-Www", within the date window; None otherwise."""
    match = WEEK_RE.fullmatch(str(value or "").strip())
    if match is None:
        return None
    year, week = (int(part) for part in match.groups())
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:  # week 54, year 0
        return None
    return monday if in_date_window(monday, today) else None


def weeks_of(days) -> list[tuple[int, int]]:
    """(ISO week number, how many of the days fall in it), for the "Sem. 14" header."""
    return [
        (week, len(list(group)))
        for week, group in itertools.groupby(days, key=lambda day: day.isocalendar().week)
    ]


def children_of(grid, writer: CellWriter, today: datetime.date) -> list[ChildMonth]:
    """Each child's table and list, written in one pass over its rows: a cell is written
    for the table and, when open, for the list from the same values."""
    children = []
    for child, rows in grid.rows_by_child():
        prefix = f"cal{child.pk}"
        lines: dict[datetime.date, list[str]] = {}
        activities = [
            (
                activity,
                [
                    GridRow(row.unit, row.cells, writer.row(row, prefix=prefix, lines=lines))
                    for row in activity_rows
                ],
            )
            for activity, activity_rows in itertools.groupby(rows, key=lambda row: row.activity)
        ]
        day_lines, past_lines = [], []
        for day in grid.days:
            if day in lines:
                line = DayLine(day=day, html=writer.line(day, lines[day]))
                (past_lines if day < today else day_lines).append(line)
        children.append(
            ChildMonth(
                child=child,
                header=writer.header(prefix),
                activities=activities,
                day_lines=day_lines,
                past_lines=past_lines,
            )
        )
    return children


def _query(**values) -> str:
    return "?" + urlencode({name: value for name, value in values.items() if value})


@dataclass
class Asked:
    """What the query string asks: a view (month or week), its first day, a child."""

    view: str
    first: datetime.date
    child_id: int | None = None
    # True when `?month=` or `?week=` could not be read (the current one is shown).
    invalid: bool = False


def read_query(query, today: datetime.date) -> Asked:
    child_id = None
    if query.get("child"):
        child_id = parse_id(query["child"])
        if child_id is None:
            raise Http404
    if query.get("week"):
        monday = parse_week(query["week"], today=today)
        if monday is None:
            monday = today - datetime.timedelta(days=today.weekday())
            return Asked(WEEK, monday, child_id, invalid=True)
        return Asked(WEEK, monday, child_id)
    if query.get("month"):
        month = parse_month(query["month"], today=today)
        if month is None:
            return Asked(MONTH, today.replace(day=1), child_id, invalid=True)
        return Asked(MONTH, month, child_id)
    return Asked(MONTH, today.replace(day=1), child_id)


def grid_context(*, request, asked: Asked, now, today: datetime.date) -> dict:
    """What the calendar's template shows (the page, the grid's fragment, the PDF)."""
    family = request.family
    child_ids = None if asked.child_id is None else {asked.child_id}
    if asked.view == WEEK:
        last = asked.first + datetime.timedelta(days=6)
        grid = days_calendar(
            family=family, first=asked.first, last=last, now=now, child_ids=child_ids
        )
    else:
        grid = month_calendar(family=family, month=asked.first, now=now, child_ids=child_ids)
    known = {child.pk for child in grid.children}
    # Not registered in this span (an empty grid says so), or another family's: a 404.
    if (
        asked.child_id is not None
        and asked.child_id not in known
        and not Child.objects.for_family(family).filter(pk=asked.child_id).exists()
    ):
        raise Http404
    child_param = asked.child_id
    monday = asked.first if asked.view == WEEK else today - datetime.timedelta(days=today.weekday())
    if asked.view == MONTH and not (grid.month <= monday < grid.next_month):
        monday = grid.month - datetime.timedelta(days=grid.month.weekday())
    week = week_param(monday)
    # From a week, « Mois » (and the PDF) is today's month when today is in it, else the
    # month of its Thursday.
    sunday = monday + datetime.timedelta(days=6)
    shown_month = grid.month
    if asked.view == WEEK:
        shown_month = (
            today if monday <= today <= sunday else monday + datetime.timedelta(days=3)
        ).replace(day=1)
    month_param = f"{shown_month:%Y-%m}"
    here = {"week": week} if asked.view == WEEK else {"month": month_param}
    previous_week = week_param(monday - datetime.timedelta(days=7))
    next_week = week_param(monday + datetime.timedelta(days=7))
    days = days_of(grid.days, today)
    weeks = weeks_of(grid.days)
    week_colgroups, week_headers = week_columns(weeks)
    return {
        "grid": grid,
        "view": asked.view,
        "month": grid.month,
        "monday": monday,
        "sunday": sunday,
        "month_param": month_param,
        "week_param": week,
        "previous_param": f"{grid.previous_month:%Y-%m}",
        "next_param": f"{grid.next_month:%Y-%m}",
        "previous_url": _query(month=f"{grid.previous_month:%Y-%m}", child=child_param)
        if asked.view == MONTH
        else _query(week=previous_week, child=child_param),
        "next_url": _query(month=f"{grid.next_month:%Y-%m}", child=child_param)
        if asked.view == MONTH
        else _query(week=next_week, child=child_param),
        "week_url": _query(week=week, child=child_param),
        "this_week_url": _query(week=week_param(today), child=child_param),
        "month_url": _query(month=month_param, child=child_param),
        "child_param": child_param,
        "child_filter": [
            (child, _query(**here, child=child.pk), child.pk == child_param)
            for child in grid.children
        ],
        "all_children_url": _query(**here),
        "weeks": weeks,
        "week_colgroups": week_colgroups,
        "week_headers": week_headers,
        "legend": [(state, label, CODES.get(state, "")) for state, label in grid.legend],
        "days": days,
        "columns": len(days) + 1,
        # The tables' captions: « novembre 2026 », or the week's « 23 novembre 2026 ».
        "period_label": date_format(monday, "j F Y")
        if asked.view == WEEK
        else date_format(grid.month, "F Y"),
        "children": children_of(grid, CellWriter(request, days), today),
        "basket_count": grid.basket_count,
        "today": today,
    }
