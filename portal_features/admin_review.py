"""Staff queues of what families send (account requests, change requests, documents):
staff decide an item, they never create, edit or delete it in the admin."""

from django.contrib.admin.utils import quote
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper

PENDING = "pending"


class ReviewPermissionHelper(PermissionHelper):
    """Deciding needs the model's change permission, and only a pending item is decided."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_review(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))

    def user_can_review_obj(self, user, obj):
        return obj.status == PENDING and self.user_can_review(user)


class ReviewButtonHelper(ButtonHelper):
    """Adds a button per decision, each leading to the admin view of that action."""

    decisions = [
        ("accept", _("Accept"), []),
        ("refuse", _("Refuse"), ["button-secondary", "no"]),
    ]

    def decision_button(self, pk, action, label, classnames):
        return {
            "url": self.url_helper.get_action_url(action, quote(pk)),
            "label": label,
            "classname": self.finalise_classname(classnames),
            "title": label,
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_review_obj(self.request.user, obj):
            buttons += [
                self.decision_button(obj.pk, action, label, classnames)
                for action, label, classnames in self.decisions
            ]
        return buttons
