"""Reservations (one child, one unit, one day), the basket, orders, history and absences."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    belongs_to,
    choice_field,
    choices_check,
    created_at_field,
    money,
    optional_link,
    optional_moment,
    private_file,
    protected_link,
    staff_member,
    status_field,
)
from core.models import DecidedModel, EventModel, OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from core.storage import PrivateFileMixin
from portal_features.models import Family, child_link, family_link

from ..choices import (
    ACTIVE,
    AbsenceStatus,
    Attendance,
    BasketAction,
    ReservationStatus,
)
from ..protection import (
    cascade_unless_billed,
    check_absence_deletion,
    check_reservation_deletion,
)
from .configuration import Slot, Unit


class Order(OutsideReferenceIndex, models.Model):
    """One submitted basket: its number is the receipt the family keeps ("Commande n°
    2026-00042"), a yearly series without gaps. Orders from before the series keep their id
    as number, as their receipts said."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    family = family_link("orders")
    submitted_at = created_at_field(_("submitted at"))
    submitted_by = staff_member(_("submitted by"), blank=False)
    total = money(_("total"), default=0)
    # Rendered in the basket's form: a second submission of the same form (double click,
    # two tabs, a retry) finds this order instead of making another one.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    objects = FamilyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return _("Order no. %(number)s") % {"number": self.number}


class ReservationQuerySet(FamilyScopedQuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)


class Reservation(OutsideReferenceIndex, DecidedModel):
    # A family or child with days that may be billed cannot be deleted (protection.py).
    family = family_link("reservations", on_delete=cascade_unless_billed)
    child = child_link("reservations", on_delete=cascade_unless_billed)
    unit = protected_link(Unit, _("unit"), "reservations")
    slot = protected_link(Slot, _("opening day"), "reservations")
    day = models.DateField(_("day"))
    status = status_field(ReservationStatus, max_length=25)
    # The waiting list's order: first asked, first served (the pk breaks ties).
    requested_at = created_at_field(_("asked at"))
    unit_price = money(_("unit price"), default=0)
    # Why it was refused, cancelled by the commune or declined: wider than a refusal.
    refusal_reason = models.TextField(_("reason"), blank=True)
    offer_expires_at = optional_moment(_("offer valid until"))
    # Cancelled after the deadline: billed, unless a waiting child took the place.
    late_cancellation = models.BooleanField(_("late cancellation"), default=False)
    replaced_by = optional_link(
        "self", _("place taken over by"), one_to_one=True, related_name="replaces"
    )
    # Cancelled by the commune (closure, strike, trip): never billed.
    cancelled_by_commune = models.BooleanField(_("cancelled by the commune"), default=False)
    attendance = choice_field(_("attendance"), Attendance, max_length=10, blank=True, default="")
    walk_in = models.BooleanField(_("came without booking"), default=False)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["day", "unit__sort_order", "pk"]
        constraints = [
            choices_check("status", ReservationStatus, name="reservation_status_valid"),
            models.UniqueConstraint(
                fields=["child", "unit", "day"],
                condition=models.Q(status__in=sorted(ACTIVE)),
                name="reservation_one_active_per_child_unit_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="reservation_offer_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["family", "day"], name="reservation_family_day_idx"),
            models.Index(fields=["slot", "status", "requested_at"], name="reservation_waiting_idx"),
        ]

    def __str__(self):
        return f"{self.child} – {self.unit.name} – {self.day:%d/%m/%Y}"

    @property
    def is_billable_late_cancellation(self) -> bool:
        return self.late_cancellation and self.replaced_by_id is None

    def delete(self, *args, **kwargs):
        check_reservation_deletion(self)
        return super().delete(*args, **kwargs)


class OrderLine(OutsideReferenceIndex, models.Model):
    """What one submitted basket asked for a reservation, and what came of it at once."""

    order = belongs_to(Order, _("order"), "lines")
    reservation = belongs_to(Reservation, _("reservation"), "order_lines")
    action = choice_field(_("request"), BasketAction, max_length=10)
    unit_price = money(_("unit price"))
    outcome = choice_field(_("outcome"), ReservationStatus, max_length=25)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["reservation__day", "pk"]

    def __str__(self):
        return f"{self.order} – {self.reservation}"


class BasketItem(OutsideReferenceIndex, models.Model):
    """A booking or cancellation the family has put in its basket, not yet submitted."""

    family = family_link("basket_items")
    child = child_link("+")
    unit = belongs_to(Unit, _("unit"), "+")
    day = models.DateField(_("day"))
    action = choice_field(_("request"), BasketAction, max_length=10)
    added_at = created_at_field(_("added at"))

    objects = FamilyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("basket item")
        verbose_name_plural = _("basket items")
        ordering = ["day", "child", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "child", "unit", "day"], name="basket_item_unique"
            ),
            choices_check("action", BasketAction, name="basket_action_valid"),
        ]

    def __str__(self):
        return f"{self.child} – {self.unit.name} – {self.day:%d/%m/%Y}"


class ReservationEvent(OutsideReferenceIndex, EventModel):
    """Every change of a reservation: who, when, from → to. Shown to the family and staff."""

    reservation = belongs_to(Reservation, _("reservation"), "events")
    by_staff = models.BooleanField(_("by the staff"), default=False)
    from_status = choice_field(_("from"), ReservationStatus, max_length=25, blank=True)
    to_status = choice_field(_("to"), ReservationStatus, max_length=25)

    class Meta:
        verbose_name = _("reservation change")
        verbose_name_plural = _("reservation changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.reservation}: {self.from_status or '∅'} → {self.to_status}"


class AbsenceQuerySet(FamilyScopedQuerySet):
    family_field = "reservation__family"


class Absence(OutsideReferenceIndex, PrivateFileMixin, DecidedModel):
    """An absence on a booked day: excused (not billed) or billed, decided by staff."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        FAMILY = "family", _("Family reason")
        OTHER = "other", _("Other")

    private_folder = "certificates"

    reservation = belongs_to(Reservation, _("reservation"), "absence", one_to_one=True)
    reason = choice_field(_("reason"), Reason, max_length=10)
    comment = models.TextField(_("comment"), blank=True)
    certificate = private_file(_("medical certificate"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("format"), max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    status = status_field(AbsenceStatus)
    declared_at = created_at_field(_("declared at"))
    declared_by = staff_member(_("declared by"), blank=False)
    # Written for either outcome (why it is excused or billed), so no refusal reason.
    staff_note = models.TextField(_("staff note"), blank=True)
    # The absences a family declared together (several days, several units) share this key
    # and one certificate: one stored file, its size counted on the first of them only.
    declaration = models.UUIDField(_("declaration"), null=True, blank=True, db_index=True)
    refusal_reason = None

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-declared_at"]
        constraints = [choices_check("status", AbsenceStatus, name="absence_status_valid")]

    def __str__(self):
        return str(self.reservation)

    @property
    def file(self):
        # PrivateFileMixin and private_file_response expect `file`.
        return self.certificate

    @classmethod
    def files_counted_for(cls, family):
        return cls.objects.for_family(family).exclude(certificate="")

    def delete(self, *args, **kwargs):
        check_absence_deletion(self)
        return super().delete(*args, **kwargs)


class CalendarFeed(OutsideReferenceIndex, models.Model):
    """The secret address of a family's iCalendar feed; a new token revokes the old one."""

    family = belongs_to(Family, _("family"), "calendar_feed", one_to_one=True)
    token = models.CharField(_("secret"), max_length=64, unique=True)
    created_at = created_at_field(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.family)
