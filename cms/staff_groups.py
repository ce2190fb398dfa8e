"""The two staff groups and what each may do; kept in code so every install has them."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_noop

COMMUNICATION = gettext_noop("Communication")
ENFANCE = gettext_noop("Enfance")

# Communication staff edit the public site: pages, news, documents, images, site settings.
COMMUNICATION_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    # Wagtail checks document rights against its base Document model, even with our own.
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("documents_library", "add_documentcategory"),
    ("documents_library", "change_documentcategory"),
    ("documents_library", "delete_documentcategory"),
    ("news", "add_newscategory"),
    ("news", "change_newscategory"),
    ("news", "delete_newscategory"),
    ("cms", "change_communesettings"),
]
# Enfance staff work in the portal's staff screens (added by the portal apps); no page editing.
ENFANCE_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    # Messages: read and answer families' conversations; manage services and themes.
    ("portal_features", "view_thread"),
    ("portal_features", "change_thread"),
    ("portal_features", "view_service"),
    ("portal_features", "add_service"),
    ("portal_features", "change_service"),
    ("portal_features", "view_theme"),
    ("portal_features", "add_theme"),
    ("portal_features", "change_theme"),
    ("portal_features", "view_signuprequest"),
    ("portal_features", "change_signuprequest"),
    ("portal_features", "view_changerequest"),
    ("portal_features", "change_changerequest"),
    # Families' files: read and edit families, guardians and children; manage consent types.
    ("portal_features", "view_family"),
    ("portal_features", "change_family"),
    ("portal_features", "view_guardian"),
    ("portal_features", "change_guardian"),
    ("portal_features", "view_child"),
    ("portal_features", "change_child"),
    ("portal_features", "view_consenttype"),
    ("portal_features", "add_consenttype"),
    ("portal_features", "change_consenttype"),
    ("portal_features", "delete_consenttype"),
    # Supporting documents: check, validate or refuse them; manage the document types.
    ("portal_features", "view_supportingdocument"),
    ("portal_features", "change_supportingdocument"),
    ("portal_features", "view_documenttype"),
    ("portal_features", "add_documenttype"),
    ("portal_features", "change_documenttype"),
    ("portal_features", "delete_documenttype"),
    # Reservations: configure the calendar and activities; decide requests; take attendance.
    *[
        ("reservations", f"{action}_{model}")
        for model in (
            "schoolyear",
            "period",
            "facility",
            "closure",
            "reservationrule",
            "activity",
            "unit",
            "group",
            "slot",
        )
        for action in ("view", "add", "change", "delete")
    ],
    ("reservations", "change_calendarsettings"),
    # Tariffs and aids: set them and simulate a price; record a family's quotient familial.
    *[
        ("reservations", f"{action}_{model}")
        for model in ("tariff", "tariffbracket", "siblingreduction", "aid")
        for action in ("view", "add", "change", "delete")
    ],
    ("portal_features", "view_quotientrecord"),
    ("portal_features", "add_quotientrecord"),
    *[
        ("reservations", f"{action}_{model}")
        for model in ("enrolment", "registration", "reservation", "absence", "order")
        for action in ("view", "change")
    ],
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Documents and images are permitted per collection; for documents Wagtail uses the base
# Document model's permissions (auth_model="wagtaildocs.Document"), not LibraryDocument's.
COLLECTION_PERMISSIONS = {
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
}


def _permissions(pairs):
    found = []
    for app_label, codename in pairs:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            found.append(permission)
    return found


@transaction.atomic
def ensure_staff_groups() -> tuple[Group, Group]:
    """Create or complete the groups (idempotent; never removes what an admin added)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    communication, _ = Group.objects.get_or_create(name=COMMUNICATION)
    enfance, _ = Group.objects.get_or_create(name=ENFANCE)
    communication.permissions.add(*_permissions(COMMUNICATION_PERMISSIONS))
    enfance.permissions.add(*_permissions(ENFANCE_PERMISSIONS))

    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=communication, page=root_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for permission in _permissions((app_label, codename) for codename in codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=communication, collection=root_collection, permission=permission
                )
    return communication, enfance


def ensure_staff_groups_after_migrate(sender, **kwargs) -> None:
    from django.apps import apps

    # post_migrate fires once per app with models; every app's permissions exist only
    # once the last of them has migrated.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        ensure_staff_groups()
