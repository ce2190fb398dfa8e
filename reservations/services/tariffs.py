"""Saving a tariff with its QF brackets and sibling reductions: everything checked, then
everything saved, or nothing. The staff screens (and the demo) go through here."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import tariff_methods as methods
from ..models import SiblingReduction, Tariff, TariffBracket

BRACKET_METHODS = (methods.QF_BRACKETS, methods.EFFORT_RATE_BRACKETS)


def _bracket_messages(brackets) -> list[str]:
    messages = []
    for index, bracket in enumerate(brackets, start=1):
        try:
            bracket.full_clean(exclude=["tariff"])
        except ValidationError as error:
            messages += [
                _("Bracket %(number)s: %(message)s") % {"number": index, "message": message}
                for message in error.messages
            ]
    for error in methods.bracket_errors([(b.qf_min, b.qf_max) for b in brackets]):
        messages.append(
            _("Bracket %(number)s: %(message)s")
            % {"number": error.index + 1, "message": error.message}
        )
    return messages


def tariff_save(*, tariff: Tariff, brackets=(), reductions=()) -> Tariff:
    """Check the tariff (dates, method, no overlap), its brackets (each valid, together
    covering every QF from 0 once, `qf_min ≤ QF < qf_max`) and its reductions, then save
    all, replacing the tariff's brackets and reductions. ValidationError keyed by field
    ("brackets", "reductions" for the rows), nothing saved."""
    brackets, reductions = list(brackets), list(reductions)
    errors: dict[str, list] = {}
    try:
        tariff.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    for bracket in brackets:
        bracket.tariff = tariff
    if tariff.method in BRACKET_METHODS:
        messages = _bracket_messages(brackets)
        if messages:
            errors["brackets"] = messages
        if tariff.no_qf_bracket is not None and tariff.no_qf_bracket > len(brackets):
            errors.setdefault("no_qf_bracket", []).append(
                _("There are only %(count)s brackets.") % {"count": len(brackets)}
            )
    elif brackets:
        errors["brackets"] = [_("This method has no QF brackets: remove them.")]
    for reduction in reductions:
        reduction.tariff = tariff
    if tariff.sibling_mode != methods.SIBLINGS_NONE:
        positions = [reduction.position for reduction in reductions]
        if not reductions:
            errors["reductions"] = [_("Give the reduction of at least one child number.")]
        elif len(set(positions)) != len(positions):
            errors["reductions"] = [_("Each child number is given once.")]
        for reduction in reductions:
            try:
                reduction.full_clean(exclude=["tariff"])
            except ValidationError as error:
                errors.setdefault("reductions", []).extend(error.messages)
    elif reductions:
        errors["reductions"] = [_("Choose how siblings are counted, or remove the reductions.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                tariff.save()
        except IntegrityError as error:
            # The exclusion constraint: another tariff written since clean() read them.
            raise ValidationError(
                {"valid_from": [_("Another tariff of this unit applies on these dates.")]}
            ) from error
        TariffBracket.objects.filter(tariff=tariff).delete()
        SiblingReduction.objects.filter(tariff=tariff).delete()
        for row in (*brackets, *reductions):
            row.pk = None
            row.tariff = tariff
        TariffBracket.objects.bulk_create(brackets)
        SiblingReduction.objects.bulk_create(reductions)
    return tariff
