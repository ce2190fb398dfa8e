"""Staff screen « Règles de délai »: when booking and cancelling close, and how long a
family has to justify an absence."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from core.staff import StaffModelAdmin

from ..models import ReservationRule
from .config_forms import ReservationRuleForm, describe_stored


def _deadline_fields(prefix, heading):
    return MultiFieldPanel(
        [
            FieldPanel(f"{prefix}_kind"),
            FieldRowPanel(
                [
                    FieldPanel(f"{prefix}_number"),
                    FieldPanel(f"{prefix}_weekday"),
                    FieldPanel(f"{prefix}_time"),
                ]
            ),
        ],
        heading=heading,
    )


class ReservationRuleAdmin(StaffModelAdmin):
    model = ReservationRule
    menu_label = gettext_lazy("Deadline rules")
    menu_icon = "time"
    list_display = ("name", "booking_in_words", "cancellation_in_words", "absence_delay")
    search_fields = ("name",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            _deadline_fields("booking", gettext_lazy("Booking deadline")),
            _deadline_fields("cancellation", gettext_lazy("Cancellation deadline")),
            FieldPanel("absence_justification_hours"),
        ],
        base_form_class=ReservationRuleForm,
    )

    def booking_in_words(self, obj):
        return describe_stored(obj.booking_deadline)

    booking_in_words.short_description = gettext_lazy("Booking closes")

    def cancellation_in_words(self, obj):
        if not obj.cancellation_deadline:
            return _("Same as booking")
        return describe_stored(obj.cancellation_deadline)

    cancellation_in_words.short_description = gettext_lazy("Cancellation closes")

    def absence_delay(self, obj):
        return ngettext("%(hours)s hour", "%(hours)s hours", obj.absence_justification_hours) % {
            "hours": obj.absence_justification_hours
        }

    absence_delay.short_description = gettext_lazy("Delay to justify an absence")
