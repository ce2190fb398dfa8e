"""What the family reads of a document's lines: grouped by child, then by unit and price,
each group with its days and its price explained in words from the pricing frozen on the
line when it was billed (never recomputed from today's tariffs)."""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_euros
from reservations.pricing import SOURCE_LABELS, PriceResult

from ..choices import InvoiceKind, LineKind, RunKind

ZERO = Decimal("0.00")

METHOD_LABELS = {
    "flat": gettext_lazy("flat price"),
    "qf_brackets": gettext_lazy("price by QF bracket"),
    "effort_rate": gettext_lazy("effort rate"),
    "effort_rate_brackets": gettext_lazy("effort rate by QF bracket"),
    "unit_price": gettext_lazy("price of the unit"),
}


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


def explanation_of(pricing: dict, stored: str) -> str:
    """The sentence « QF 850 (CAF) – tranche 3 : 700 ≤ QF < 1 000 – enfant n° 2 : −10 % »,
    written in the reader's language from the frozen result; what was stored otherwise."""
    if pricing and "tariff_id" in pricing:
        try:
            return PriceResult.from_json(pricing).explanation()
        except (TypeError, ValueError, InvalidOperation):
            pass
    return stored


def pricing_details(pricing: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of what the price was computed from, for the detail list."""
    if not pricing:
        return []
    details = []
    method = pricing.get("method")
    if method in METHOD_LABELS:
        details.append((_("Method"), str(METHOD_LABELS[method])))
    qf = _decimal(pricing.get("qf"))
    if pricing.get("qf_missing"):
        details.append((_("Family quotient"), _("no valid QF on the day: highest bracket")))
    elif qf is not None:
        source = SOURCE_LABELS.get(pricing.get("qf_source"))
        value = _number(qf) + (f" ({source})" if source else "")
        details.append((_("Family quotient"), value))
    if pricing.get("bracket"):
        details.append((_("Bracket"), str(pricing["bracket"])))
    rate = _decimal(pricing.get("rate"))
    if rate is not None:
        details.append((_("Effort rate"), _("QF × %(rate)s") % {"rate": _number(rate)}))
    if pricing.get("bound") == "floor":
        details.append((_("Bound"), _("floor applied")))
    elif pricing.get("bound") == "ceiling":
        details.append((_("Bound"), _("ceiling applied")))
    base = _decimal(pricing.get("base_amount"))
    if base is not None:
        details.append((_("Tariff before reductions"), format_euros(base)))
    sibling = _decimal(pricing.get("sibling_percent"))
    if sibling:
        values = {"position": pricing.get("sibling_position"), "percent": _number(sibling)}
        if pricing.get("sibling_mode") == "count_same_day":
            text = _("%(position)s children present the same day: −%(percent)s %%") % values
        else:
            text = _("child no. %(position)s: −%(percent)s %%") % values
        details.append((_("Sibling reduction"), text))
    modifier = pricing.get("modifier")
    percent = _decimal(pricing.get("modifier_percent"))
    modifiers = {
        "absence_billed": _("billed absence"),
        "late_cancellation": _("late cancellation"),
        "walk_in": _("came without booking"),
    }
    if modifier in modifiers:
        text = str(modifiers[modifier])
        if percent is not None:
            text += " – " + _("%(percent)s %% of the price") % {"percent": _number(percent)}
        details.append((_("Adjustment"), text))
    aid = _decimal(pricing.get("aid"))
    if aid:
        details.append(
            (
                _("Aid deducted"),
                f"{pricing.get('aid_label') or ''} −{format_euros(aid)}".strip(),
            )
        )
    return details


@dataclass
class LineGroup:
    activity: str
    unit: str
    kind: str
    taken_back: bool
    unit_price: Decimal
    explanation: str
    details: list
    quantity: int = 0
    amount: Decimal = ZERO
    days: list = field(default_factory=list)


@dataclass
class ChildLines:
    name: str
    groups: list
    total: Decimal


def lines_by_child(lines) -> list[ChildLines]:
    """The lines (already read, ordered by child and day) per child, then per activity,
    unit, kind, price and explanation; a line taking a day back stays apart."""
    kinds = dict(LineKind.choices)
    children: OrderedDict = OrderedDict()
    for line in lines:
        child = children.setdefault(
            line.child_id,
            {"name": line.child.first_name, "groups": OrderedDict(), "total": ZERO},
        )
        key = (
            line.activity_id,
            line.unit_id,
            line.kind,
            line.unit_price,
            line.explanation,
            line.quantity < 0,
        )
        group = child["groups"].get(key)
        if group is None:
            group = child["groups"][key] = LineGroup(
                activity=line.activity.name if line.activity else "",
                unit=line.unit.name if line.unit else line.label,
                kind=str(kinds.get(line.kind, line.kind)),
                taken_back=line.quantity < 0,
                unit_price=line.unit_price,
                explanation=explanation_of(line.pricing, line.explanation),
                details=pricing_details(line.pricing),
            )
        group.quantity += line.quantity
        group.amount += line.amount
        group.days.append(line.day)
        child["total"] += line.amount
    return [
        ChildLines(name=child["name"], groups=list(child["groups"].values()), total=child["total"])
        for child in children.values()
    ]


def what_it_corrects(document, documents) -> list:
    """For a credit note, the invoices it corrects: the one it cancels, or, from a
    corrective run, the month's invoices of the same régie among `documents`."""
    if document.kind != InvoiceKind.CREDIT_NOTE:
        return []
    if document.corrects_id:
        return [d for d in documents if d.pk == document.corrects_id] or [document.corrects]
    if document.run_id and getattr(document.run, "kind", None) == RunKind.CORRECTIVE:
        return [
            d
            for d in documents
            if d.kind == InvoiceKind.INVOICE
            and d.month == document.month
            and d.regie_id == document.regie_id
            and (d.issued_at or document.issued_at) <= document.issued_at
        ]
    return []
