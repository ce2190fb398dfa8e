"""Alerts ("Mes alertes"): what the family must see, with an unread count in the menu."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import created_at_field, optional_moment
from core.models import OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet

from .families import family_link


class NotificationQuerySet(FamilyScopedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Link:
    """Where an alert leads: a portal view's name and its arguments, e.g.
    `Link("reservations:order_detail", order_id=12)`. Stored as such and resolved when the
    alert is shown (below the request's portal page) or e-mailed (the public address), so a
    moved portal page never leaves a stale link behind."""

    __slots__ = ("view", "kwargs")

    def __init__(self, view: str, /, **kwargs):
        self.view = view
        self.kwargs = kwargs

    def __eq__(self, other):
        return isinstance(other, Link) and (self.view, self.kwargs) == (other.view, other.kwargs)

    def __hash__(self):
        return hash((self.view, tuple(sorted(self.kwargs.items()))))

    def __repr__(self):
        arguments = "".join(f", {name}={value!r}" for name, value in self.kwargs.items())
        return f"Link({self.view!r}{arguments})"


class Notification(OutsideReferenceIndex, models.Model):
    family = family_link("notifications")
    # A code registered by an app (portal_features.alerts.kinds): no choices, so an app adds
    # its kinds without a migration here.
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A portal view's name and its arguments (see Link), never an address.
    link_view = models.CharField(_("link to"), max_length=100, blank=True)
    link_kwargs = models.JSONField(_("link arguments"), default=dict, blank=True)
    created_at = created_at_field(_("created at"))
    read_at = optional_moment(_("read at"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["family", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title

    @property
    def link(self) -> Link | None:
        return Link(self.link_view, **self.link_kwargs) if self.link_view else None
