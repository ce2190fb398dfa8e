"""List columns of the staff screens that show a related object's attribute.

    class ThreadAdmin(StaffModelAdmin):
        list_display = ("subject", "family_number", ...)
        family_number = related_column("family.number", _("Family number"))

The column stays a method of the screen, named in `list_display` like any other.
"""


def related_column(path: str, label):
    """A `list_display` method returning `obj.<path>` (a dotted path), headed `label`."""
    attrs = path.split(".")

    def column(self, obj):
        for attr in attrs:
            obj = getattr(obj, attr)
        return obj

    column.short_description = label
    return column


def choice_label_column(field: str, label=None):
    """A `list_display` (or export) method returning the label of `obj.<field>`'s choice, as
    `get_<field>_display()` gives it; headed `label` when one is given."""

    def column(self, obj):
        return getattr(obj, f"get_{field}_display")()

    if label is not None:
        column.short_description = label
    return column
