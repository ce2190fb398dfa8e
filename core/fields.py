"""The field shapes every app declares the same way, written once.

Each factory returns exactly the field an app would have written by hand (same arguments,
so the same migration state): only the label and what really differs are passed.

    decided_by = staff_member(_("decided by"))
    logo = optional_link("wagtailimages.Image", _("logo"))
    amount = money(_("amount"), validators=POSITIVE)
    created_at = created_at_field(_("sent at"))
    validated_at = optional_moment(_("validated at"))
    file = private_file(_("file"))
    constraints = [choices_check("status", Status, name="thing_status_valid")]
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .storage import private_storage, random_private_name


def _nullable_link(to, label, on_delete, **kwargs):
    return models.ForeignKey(to, verbose_name=label, null=True, on_delete=on_delete, **kwargs)


def optional_link(to, verbose_name, *, related_name="+", blank=True, **kwargs):
    """A link that may be empty and outlives its target (SET_NULL): a page, an image, a
    category, the account behind a row. No reverse accessor unless `related_name` says one."""
    return _nullable_link(
        to, verbose_name, models.SET_NULL, related_name=related_name, blank=blank, **kwargs
    )


def scope_link(to, verbose_name, *, related_name: str, help_text):
    """What a rule is limited to (a facility, an activity); empty, it applies to every one.
    Deleted with its target."""
    return _nullable_link(
        to, verbose_name, models.CASCADE, blank=True, related_name=related_name, help_text=help_text
    )


def staff_member(verbose_name, **kwargs):
    """Who did it: the account that acted, the row outliving the account. `blank=False` where
    a form must not leave it empty."""
    return optional_link(settings.AUTH_USER_MODEL, verbose_name, **kwargs)


def money(verbose_name, *, optional=False, **kwargs):
    """An amount in euros: `Decimal`, ten digits, two places (see `core.money`).
    `optional=True` allows no amount (null and blank)."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


def optional_moment(verbose_name, **kwargs):
    """When something happened, if it has (decided, sent, cancelled...)."""
    return models.DateTimeField(verbose_name, null=True, blank=True, **kwargs)


def created_at_field(verbose_name, **kwargs):
    """When the row was written: now by default, services pass their `now=`."""
    return models.DateTimeField(verbose_name, default=timezone.now, **kwargs)


def private_file(verbose_name, **kwargs):
    """A file families or staff sent: private storage, under a random name."""
    return models.FileField(
        verbose_name, storage=private_storage, upload_to=random_private_name, **kwargs
    )


def choices_check(field: str, choices, *, name: str) -> models.CheckConstraint:
    """The database check that `field` holds one of `choices` (a `TextChoices` class or a list
    of values), in the order they are declared."""
    values = choices.values if hasattr(choices, "values") else list(choices)
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": values}), name=name)


def ordered_check(
    start: str, end: str, *, name: str, strict: bool = False, open_end: bool = False
) -> models.CheckConstraint:
    """The database check that `end` does not come before `start` (`strict`: comes after it);
    `open_end`: an empty end (until further notice) passes."""
    condition = models.Q(**{f"{end}__{'gt' if strict else 'gte'}": models.F(start)})
    if open_end:
        condition = models.Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)
