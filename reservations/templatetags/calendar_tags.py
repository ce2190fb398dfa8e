"""The month calendar's cells, written in Python: a family's month is hundreds of cells, and
built from template tags each cell cost as much as the rest of the page."""

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal_features.portal.urls import portal_path, portal_reverse

from ..selectors.calendar import CODES, LEGEND, CellState

# Cells the calendar's form can tick: a place left, or the waiting list of a full day.
TICKABLE = frozenset({CellState.AVAILABLE, CellState.FULL})

register = template.Library()


class _Links:
    """What every cell of one page shares, computed once per rendering."""

    def __init__(self, request):
        self.page_url = request.portal_page.get_url(request)
        self.basket = portal_reverse(request, "reservations:basket")
        self.labels = {state: str(label) for state, label in LEGEND}
        self.dates: dict = {}

    def detail(self, reservation_id: int) -> str:
        return self.page_url + portal_path(
            "reservations:reservation_detail", reservation_id=reservation_id
        )

    def href(self, cell) -> str | None:
        if cell.reservation_id:
            return self.detail(cell.reservation_id)
        if cell.basket_item_id:
            return self.basket
        return None

    def tick(self, row, cell) -> str:
        """The checkbox of « Réserver les jours cochés » (the form wraps the grid)."""
        value = f"{row.child.pk}:{row.unit.pk}:{cell.day:%Y-%m-%d}"
        text = gettext("Book %(unit)s, %(day)s") % {
            "unit": row.unit.name,
            "day": self.day(cell.day),
        }
        return (
            f'<label class="cal__tick"><input type="checkbox" name="day" value="{value}">'
            f'<span class="visually-hidden">{escape(text)}</span></label>'
        )

    def day(self, day) -> str:
        if day not in self.dates:
            self.dates[day] = date_format(day, "l j F")
        return self.dates[day]


def _links(context) -> _Links:
    links = context.render_context.get(_Links)
    if links is None:
        links = context.render_context[_Links] = _Links(context["request"])
    return links


def calendar_header_ids(prefix, *, unit, day) -> str:
    return f"{prefix}-a{unit.activity_id} {prefix}-u{unit.pk} {prefix}-d{day:%Y%m%d}"


@register.simple_tag(takes_context=True)
def calendar_cells(context, row, table=None, book=False):
    """The <td> of a row: state as class and code, its label (and reason) in words, and a
    link to the reservation or the basket when there is one. With `table` (the child's id:
    one table each), every cell names its headers (activity, unit, day) by the ids the
    table's <th> carry (« cal12-d20261125 »). With `book`, a day that can be asked gets
    the checkbox of the booking form."""
    links = _links(context)
    prefix = f"cal{table}" if table is not None else ""
    unit_name = escape(row.unit.name)
    parts = []
    for cell in row.cells:
        label = escape(links.labels[cell.state])
        title = label + (" – " + escape(cell.reason) if cell.reason else "")
        code = escape(CODES.get(cell.state, ""))
        href = links.href(cell)
        if href:
            inner = (
                f'<a href="{escape(href)}"><span aria-hidden="true">{code}</span>'
                f'<span class="visually-hidden">{label} – {unit_name}, '
                f"{escape(links.day(cell.day))}</span></a>"
            )
        else:
            inner = (
                f'<span aria-hidden="true">{code}</span>'
                f'<span class="visually-hidden">{label}</span>'
            )
        if book and cell.state in TICKABLE:
            inner += links.tick(row, cell)
        headers = ""
        if prefix:
            ids = calendar_header_ids(prefix, unit=row.unit, day=cell.day)
            headers = f' headers="{escape(ids)}"'
        parts.append(
            f'<td class="cal__cell cal__cell--{cell.state}" data-state="{cell.state}" '
            f'title="{title}"{headers}>{inner}</td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


@register.simple_tag(takes_context=True)
def calendar_cell_state(context, cell, row=None):
    """A cell's state in words for the phone list, linked like the table's cell; with its
    `row`, a day that can be asked gets the checkbox of the booking form."""
    links = _links(context)
    label = escape(links.labels[cell.state])
    href = links.href(cell)
    text = f'<a href="{escape(href)}">{label}</a>' if href else label
    if cell.reason:
        text += f" <small>– {escape(cell.reason)}</small>"
    if row is not None and cell.state in TICKABLE:
        text += links.tick(row, cell)
    return mark_safe(text)  # noqa: S308 (every value above is escaped)
