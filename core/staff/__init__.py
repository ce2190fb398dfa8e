"""The staff-screen kit: every staff screen of our apps is built from here, and only here
is wagtail-modeladmin imported (moving to Wagtail's own viewsets touches this folder only;
tests/test_staff_kit.py fails on an import of it elsewhere).

- `StaffModelAdmin`: a screen on a model whose list applies only what it declares (its
  filters, search, ordering, page: anything else is dropped with a message, never a 500)
  and whose every screen, its own and `extra_admin_urls()`, needs the list's permission;
  `PrivateFile` declares a private file it serves.
- `Queue` and `Decision`: a queue of items awaiting a staff decision, declared as data,
  with one list, one item screen, one screen per decision, one bulk screen (queues.py);
  `also_validate_field` for an « Accept » form's ticked box that validates more (decisions.py).
- filters shared by every list: `related_filter`, `school_year_filter`,
  `date_range_filter`, `StateFilter` (filters.py).
- `ActionAdminMixin`, `ConfirmActionView`, `FormActionView`: a confirmed action on one item,
  with a form when staff must type something (a reason) (actions.py); `screen_pattern()` for a
  screen on no item (prepare a run, a report), `header_buttons()` next to a list's title
  (template core/staff/index.html), and `list_export` exports that keep numbers as numbers.
- wagtail-modeladmin's own pieces, for the screens that need them: `ModelAdminGroup`,
  `register`, `PermissionHelper`, `ButtonHelper`, `InspectView`, `EditView`, `ModelAdmin`.
"""

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.options import modeladmin_register as register
from wagtail_modeladmin.views import EditView, InspectView

from .actions import (
    ActionAdminMixin,
    ChangeOnlyPermissionHelper,
    ConfirmActionView,
    FormActionView,
    NoCreatePermissionHelper,
    ReadOnlyPermissionHelper,
)
from .base import PrivateFile, StaffModelAdmin, StrictIndexView
from .decisions import (
    Decision,
    accept_decision,
    also_validate_field,
    calls,
    refuse_decision,
    validate_decision,
)
from .filters import DECIDED, StateFilter, date_range_filter, related_filter, school_year_filter
from .queues import Queue

__all__ = [
    "DECIDED",
    "ActionAdminMixin",
    "ButtonHelper",
    "ChangeOnlyPermissionHelper",
    "ConfirmActionView",
    "Decision",
    "EditView",
    "FormActionView",
    "InspectView",
    "ModelAdmin",
    "ModelAdminGroup",
    "NoCreatePermissionHelper",
    "PermissionHelper",
    "PrivateFile",
    "ReadOnlyPermissionHelper",
    "Queue",
    "StaffModelAdmin",
    "StateFilter",
    "StrictIndexView",
    "accept_decision",
    "also_validate_field",
    "calls",
    "date_range_filter",
    "refuse_decision",
    "register",
    "related_filter",
    "school_year_filter",
    "validate_decision",
]
