"""Staff screen « Demandes de compte »: list, read, accept or refuse account requests.

A queue of the staff-screen kit: the Accept and Refuse buttons call the same services as
the tests; no decision logic here.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.staff import (
    Decision,
    PrivateFile,
    Queue,
    accept_decision,
    also_validate_field,
    calls,
    refuse_decision,
)

from ..models import Child, Guardian, SignupAttachment, SignupRequest
from .services import requested_known, signup_request_accept, signup_request_refuse

TEMPLATES = "portal_features/signup/admin"


def readable_request(signup_request) -> dict:
    """The stored form data with the labels of its choices, for staff to read."""
    data = signup_request.data
    civilities = dict(Guardian.Civility.choices)
    roles = dict(Guardian.Role.choices)
    sexes = dict(Child.Sex.choices)
    levels = dict(Child.SchoolLevel.choices)

    def guardian(fields):
        if not fields:
            return None
        return {
            **fields,
            "civility_label": civilities.get(fields.get("civility"), ""),
            "role_label": roles.get(fields.get("role"), ""),
        }

    return {
        "primary_guardian": guardian(data.get("primary_guardian")),
        "second_guardian": guardian(data.get("second_guardian")),
        "address": data.get("address") or {},
        "children": [
            {
                **child,
                "sex_label": sexes.get(child.get("sex"), ""),
                "level_label": levels.get(child.get("school_level") or "", ""),
            }
            for child in data.get("children", [])
        ],
    }


def request_name(signup_request) -> str:
    primary = signup_request.data.get("primary_guardian") or {}
    return f"{primary.get('last_name', '').upper()} {primary.get('first_name', '')}".strip()


class AcceptForm(forms.Form):
    validate_all = also_validate_field(
        _("Also validate the documents sent and the children's administrative files"),
        _(
            "Each document is valid from today for its type's default validity; the "
            "administrative file of the school year is validated when the required "
            "documents are. Untick to validate them later from their own screens."
        ),
    )


class SignupRequestAdmin(Queue):
    model = SignupRequest
    menu_label = _("Account requests")
    menu_icon = "group"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ("created_at", "email", "family_name", "children_count", "status")
    filters = ("status",)
    search_fields = (
        "email",
        "data__primary_guardian__last_name",
        "data__primary_guardian__first_name",
    )
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    item_template = f"{TEMPLATES}/_request_data.html"
    bulk_empty_message = _("No account request is awaiting a decision.")
    bulk_ordering = ("created_at", "pk")
    private_files = (PrivateFile(action="attachment", model=SignupAttachment),)
    decisions = (
        accept_decision(
            calls(signup_request_accept, "request"),
            title=_("Accept the account request"),
            form=AcceptForm,
            bulk_form=AcceptForm,
            explanation=_(
                "Accepting creates the family file, its guardians and children, the primary "
                "guardian's login and the documents sent; the family receives an e-mail to "
                "choose a password. Read the documents above before validating them: the "
                "family can then book at once."
            ),
            button=_("Yes, accept"),
            done=lambda family: (
                _("Request accepted: family %(number)s created, set-password e-mail sent.")
                % {"number": family.number}
            ),
            done_many=_(
                "%(count)d request(s) accepted: families created, set-password e-mails sent."
            ),
        ),
        Decision(
            code="link",
            label=_("Accept and link the known children"),
            service=calls(signup_request_accept, "request", link_known=True),
            form=AcceptForm,
            bulk_form=AcceptForm,
            title=_("Accept the account request and link the known children"),
            explanation=_(
                "As « Accept », but each child another household already has (same name and "
                "birth date, shown above) is added to the new family, as for separated "
                "parents, instead of being created twice: its file is shared. The other "
                "children are created; the family is told."
            ),
            button=_("Yes, accept and link"),
            done=lambda family: (
                _("Request accepted: family %(number)s created, known children linked.")
                % {"number": family.number}
            ),
            done_many=_("%(count)d request(s) accepted: families created, known children linked."),
        ),
        refuse_decision(
            calls(signup_request_refuse, "request"),
            reason_help=_("Sent to the family by e-mail."),
            title=_("Refuse the account request"),
            done=_("Request refused: the family was told the reason by e-mail."),
            done_many=_(
                "%(count)d request(s) refused: the families were told the reason by e-mail."
            ),
        ),
    )

    def label(self, signup_request):
        return f"{request_name(signup_request)} ({signup_request.email})"

    def subtitle(self, signup_request):
        return readable_request(signup_request)["primary_guardian"]["last_name"]

    def item_context(self, signup_request, request):
        data = readable_request(signup_request)
        attachments = []
        for attachment in signup_request.attachments.select_related("document_type"):
            index = attachment.child_index
            child = (
                data["children"][index]
                if index is not None and index < len(data["children"])
                else None
            )
            attachments.append(
                {
                    "attachment": attachment,
                    "child": child,
                    "url": self.url_helper.get_action_url("attachment", attachment.pk),
                }
            )
        for child, known in zip(data["children"], requested_known(signup_request), strict=True):
            child["known"] = known
        return {"request_data": data, "attachments": attachments}

    def bulk_items_label(self):
        return _("Requests")

    def family_name(self, obj):
        return request_name(obj)

    family_name.short_description = _("Name")

    def children_count(self, obj):
        return len(obj.data.get("children", []))

    children_count.short_description = _("Children")
