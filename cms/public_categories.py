"""Categories of public content (news categories, the library's document categories) that
the apps above cms declare: Communication staff manage them and every change shows on
public pages. Each app registers its own in its AppConfig.ready()."""

from . import staff_groups
from .page_cache import register_purging_model


def register_public_category(model: type) -> None:
    """Saving or deleting a `model` row purges the page cache, and the Communication group may
    add, change and delete them."""
    register_purging_model(model)
    opts = model._meta
    staff_groups.grant(
        staff_groups.COMMUNICATION,
        *(f"{opts.app_label}.{action}_{opts.model_name}" for action in ("add", "change", "delete")),
    )
