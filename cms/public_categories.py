"""Categories of public content (news categories, the library's document categories) that
the apps above cms declare: Communication staff manage them and every change shows on
public pages. Each app registers its own in its AppConfig.ready(); an app that lists
public content by category on a home (news, the documents library) registers both at once
with `register_public_listing`."""

from collections.abc import Callable

from . import staff_groups
from .home_sections import register_home_section
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


def register_public_listing(
    category_model: type, template: str, section: Callable, *, places, order: int
) -> None:
    """A public listing: its categories (`register_public_category`) and its section on the
    homes named in `places` (`register_home_section`: `template` rendered with
    `section(home_page, request)`, shown by `order`)."""
    register_public_category(category_model)
    register_home_section(template, section, places=places, order=order)
