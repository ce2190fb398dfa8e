"""The month's markup written in Python, in one pass: a family's month is hundreds of cells,
and the page shows each twice (the table on a wide screen, the list of days on a phone).

Every day's words (« mercredi 25 novembre », « me », the header's title) are computed once
for the page, from the calendar's own names of weekdays and months, not with a `|date`
filter per cell; every state's label, every address is computed once; each cell is then
written once for the table and, when open, once for the list, from the same values.
"""

import datetime
from dataclasses import dataclass

from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal_features.portal.urls import portal_path, portal_reverse

from ..selectors.calendar import BOOKABLE, CODES, LEGEND, CellState

# An id no reservation has: the detail's address is reversed once, then filled per cell.
PLACEHOLDER = 987654321


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the page and its words, computed once."""

    date: datetime.date
    key: str  # "20261125", in the headers' ids
    value: str  # "2026-11-25", in the checkboxes' values
    abbr: str  # "me"
    title: str  # "mercredi 25 novembre 2026", the header's <abbr title>
    label: str  # "mercredi 25 novembre"
    weekend: bool
    is_today: bool


def days_of(dates, today: datetime.date) -> list[Day]:
    """The words of each day: the names of weekdays and months are translated once each
    (as `date_format(day, "l j F")` and `long_date(day, weekday=True)` write them)."""
    weekdays = {index: str(WEEKDAYS[index]) for index in range(7)}
    abbrs = {index: str(WEEKDAYS_ABBR[index])[:2] for index in range(7)}
    months: dict[int, str] = {}
    days = []
    for date in dates:
        if date.month not in months:
            months[date.month] = str(MONTHS[date.month])
        weekday, month = weekdays[date.weekday()], months[date.month]
        ordinal = "1er" if date.day == 1 else str(date.day)
        days.append(
            Day(
                date=date,
                key=f"{date:%Y%m%d}",
                value=f"{date:%Y-%m-%d}",
                abbr=abbrs[date.weekday()],
                title=f"{weekday.lower()} {ordinal} {month.lower()} {date.year}",
                label=f"{weekday} {date.day} {month}",
                weekend=date.weekday() >= 5,
                is_today=date == today,
            )
        )
    return days


def week_columns(weeks) -> tuple[SafeString, SafeString]:
    """The tables' week columns, the same for every child: their <colgroup>s and the
    header row's « Sem. 48 » cells, written once for the page."""
    colgroups, cells = [], []
    for week, span in weeks:
        title = escape(gettext("Week %(week)s") % {"week": week})
        short = escape(gettext("Wk %(week)s") % {"week": week})
        colgroups.append(f'<colgroup span="{span}"></colgroup>')
        cells.append(
            f'<th scope="colgroup" colspan="{span}"><abbr title="{title}">{short}</abbr></th>'
        )
    return mark_safe("".join(colgroups)), mark_safe("".join(cells))  # noqa: S308 (escaped)


class CellWriter:
    """What every cell of one page shares, computed once per page."""

    def __init__(self, request, days: list[Day]):
        page_url = request.portal_page.get_url(request)
        detail = page_url + portal_path(
            "reservations:reservation_detail", reservation_id=PLACEHOLDER
        )
        self.detail_start, _mark, self.detail_end = detail.partition(str(PLACEHOLDER))
        self.basket = escape(portal_reverse(request, "reservations:basket"))
        self.labels = {state: escape(str(label)) for state, label in LEGEND}
        self.codes = {state: escape(CODES.get(state, "")) for state, _label in LEGEND}
        self.days = {day.date: day for day in days}
        self.book = gettext("Book %(unit)s, %(day)s")

    def href(self, cell) -> str:
        if cell.reservation_id:
            return escape(f"{self.detail_start}{cell.reservation_id}{self.detail_end}")
        if cell.basket_item_id:
            return self.basket
        return ""

    def header(self, prefix: str) -> SafeString:
        """The row of day headers of one table (« cal12 »: the ids its cells name)."""
        cells = []
        for day in self.days.values():
            weekend = " cal__day--weekend" if day.weekend else ""
            current = ' aria-current="date"' if day.is_today else ""
            cells.append(
                f'<th scope="col" id="{prefix}-d{day.key}" class="cal__day{weekend}"{current}>'
                f'<abbr title="{escape(day.title)}">{escape(day.abbr)}</abbr><br>'
                f"{day.date.day}</th>"
            )
        return mark_safe("".join(cells))  # noqa: S308 (every value is escaped or a number)

    def row(self, row, *, prefix: str, lines: dict) -> SafeString:
        """The <td> of a row, and its open days' entries added to `lines` (day → entries of
        the phone list). Each cell: its state as class and code, its label (and reason) in
        words, a link to the reservation or the basket when there is one, the headers it
        belongs to (activity, unit, day), and the checkbox of « Réserver les jours cochés »
        on a day that can be asked."""
        unit = row.unit
        unit_name = escape(unit.name)
        entry_name = f"{unit_name} <small>({escape(row.activity.name)})</small>"
        value_start = f"{row.child.pk}:{unit.pk}:"
        headers_start = f"{prefix}-a{unit.activity_id} {prefix}-u{unit.pk} {prefix}-d"
        cells = []
        for cell in row.cells:
            state = cell.state
            day = self.days[cell.day]
            label, code = self.labels[state], self.codes[state]
            reason = escape(cell.reason) if cell.reason else ""
            href = self.href(cell)
            tick = ""
            if state in BOOKABLE:
                text = escape(self.book % {"unit": unit.name, "day": day.label})
                tick = (
                    f'<label class="cal__tick"><input type="checkbox" name="day" '
                    f'value="{value_start}{day.value}"><span class="visually-hidden">{text}'
                    "</span></label>"
                )
            if href:
                inner = (
                    f'<a href="{href}"><span aria-hidden="true">{code}</span>'
                    f'<span class="visually-hidden">{label} – {unit_name}, '
                    f"{escape(day.label)}</span></a>"
                )
            else:
                inner = (
                    f'<span aria-hidden="true">{code}</span>'
                    f'<span class="visually-hidden">{label}</span>'
                )
            title = f"{label} – {reason}" if reason else label
            cells.append(
                f'<td class="cal__cell cal__cell--{state}" data-state="{state}" '
                f'title="{title}" headers="{headers_start}{day.key}">{inner}{tick}</td>'
            )
            if state == CellState.CLOSED:
                continue
            words = f'<a href="{href}">{label}</a>' if href else label
            if reason:
                words += f" <small>– {reason}</small>"
            lines.setdefault(cell.day, []).append(
                f'<li class="cal-list__entry" data-state="{state}">'
                f'<span class="cal__badge cal__cell--{state}" aria-hidden="true">'
                f"{code or '&nbsp;'}</span> <span>{entry_name} : {words}{tick}</span></li>"
            )
        return mark_safe("".join(cells))  # noqa: S308 (every value above is escaped)

    def line(self, date: datetime.date, entries: list[str]) -> SafeString:
        """One day of the phone list: its date and the entries of every unit open that day."""
        day = self.days[date]
        current = ' aria-current="date"' if day.is_today else ""
        return mark_safe(  # noqa: S308 (the entries are escaped where written)
            f'<li class="cal-list__day"{current}><span class="cal-list__date">'
            f"{escape(day.label)}</span><ul>{''.join(entries)}</ul></li>"
        )
