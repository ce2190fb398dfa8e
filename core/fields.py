"""The field shapes every app declares the same way, written once.

Each factory returns exactly the field an app would have written by hand (same arguments,
so the same migration state): only the label and what really differs are passed.

    decided_by = staff_member(_("decided by"))
    logo = optional_link("wagtailimages.Image", _("logo"))
    run = optional_link(InvoicingRun, _("run"), on_delete=PROTECT, related_name="invoices")
    regie = protected_link(Regie, _("régie"), "payments")
    order = belongs_to(Order, _("order"), "lines")
    status = status_field(PaymentStatus, default=PaymentStatus.VALID)
    mode = choice_field(_("mode"), PaymentMode, max_length=20)
    amount = money(_("amount"), validators=POSITIVE)
    created_at = created_at_field(_("sent at"))
    sort_order = sort_order_field()
    validated_at = optional_moment(_("validated at"))
    file = private_file(_("file"))
    constraints = [
        choices_check("status", Status, name="thing_status_valid"),
        positive_check("amount", name="thing_amount_positive"),
    ]
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage, random_private_name


def _nullable_link(to, label, on_delete, *, one_to_one=False, **kwargs):
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(to, verbose_name=label, null=True, on_delete=on_delete, **kwargs)


def optional_link(
    to,
    verbose_name,
    *,
    related_name="+",
    blank=True,
    on_delete=models.SET_NULL,
    one_to_one=False,
    **kwargs,
):
    """A link that may be empty. By default it outlives its target (SET_NULL): a page, an
    image, a category, the account behind a row; `on_delete=models.PROTECT` where the target
    must stay (the invoice an invoice replaces, an activity's holiday period).
    `one_to_one=True` for at most one row per target. No reverse accessor unless
    `related_name` says one."""
    return _nullable_link(
        to,
        verbose_name,
        on_delete,
        one_to_one=one_to_one,
        related_name=related_name,
        blank=blank,
        **kwargs,
    )


def protected_link(to, verbose_name, related_name: str, **kwargs):
    """A required link to what a row depends on (its régie, school year, facility, unit): the
    target cannot be deleted while rows point to it (PROTECT)."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name, **kwargs
    )


def belongs_to(to, verbose_name, related_name: str, *, one_to_one: bool = False):
    """A required link to the row this one is a part of (an order's line, a tariff's bracket,
    a conversation's message): deleted with it (CASCADE). `one_to_one=True` for at most one
    row per target (a reservation's absence, a child's health record)."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(to, verbose_name=verbose_name, on_delete=models.CASCADE, related_name=related_name)


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


def choice_field(verbose_name, choices, *, max_length: int, **kwargs):
    """A text column holding one of `choices` (a `TextChoices` class). `max_length` stays
    written where it is used: it is the column's width in the migrations."""
    return models.CharField(verbose_name, max_length=max_length, choices=choices.choices, **kwargs)


def status_field(choices, *, max_length: int = 10, **kwargs):
    """A row's `status` (pair it with `choices_check` in the model's constraints)."""
    return choice_field(_("status"), choices, max_length=max_length, **kwargs)


def sort_order_field():
    """Where a row stands among its siblings in lists and choices, smaller first."""
    return models.PositiveSmallIntegerField(_("order"), default=0)


def optional_moment(verbose_name, **kwargs):
    """When something happened, if it has (decided, sent, cancelled...)."""
    return models.DateTimeField(verbose_name, null=True, blank=True, **kwargs)


def optional_date(verbose_name, **kwargs):
    """A day that may not be known or set (valid until, issued on, deposited on...)."""
    return models.DateField(verbose_name, null=True, blank=True, **kwargs)


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
    values = [getattr(value, "value", value) for value in getattr(choices, "values", choices)]
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": values}), name=name)


def positive_check(field: str, *, name: str, zero: bool = False) -> models.CheckConstraint:
    """The database check that `field` is above zero (`zero=True`: zero or above)."""
    condition = models.Q(**{f"{field}__{'gte' if zero else 'gt'}": 0})
    return models.CheckConstraint(condition=condition, name=name)


def ordered_check(
    start: str, end: str, *, name: str, strict: bool = False, open_end: bool = False
) -> models.CheckConstraint:
    """The database check that `end` does not come before `start` (`strict`: comes after it);
    `open_end`: an empty end (until further notice) passes."""
    condition = models.Q(**{f"{end}__{'gt' if strict else 'gte'}": models.F(start)})
    if open_end:
        condition = models.Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)
