"""Staff screen « Demandes de compte »: list, read, accept or refuse account requests.

A queue of the staff-screen kit: the Accept and Refuse buttons call the same services as
the tests; no decision logic here.
"""

from django.utils.translation import gettext_lazy as _

from core.staff import Queue, accept_decision, calls, refuse_decision

from ..models import Child, Guardian, SignupRequest
from .services import signup_request_accept, signup_request_refuse

TEMPLATES = "portal_features/signup/admin"


def readable_request(signup_request) -> dict:
    """The stored form data with the labels of its choices, for staff to read."""
    data = signup_request.data
    civilities = dict(Guardian.Civility.choices)
    roles = dict(Guardian.Role.choices)
    sexes = dict(Child.Sex.choices)

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
            {**child, "sex_label": sexes.get(child.get("sex"), "")}
            for child in data.get("children", [])
        ],
    }


def request_name(signup_request) -> str:
    primary = signup_request.data.get("primary_guardian") or {}
    return f"{primary.get('last_name', '').upper()} {primary.get('first_name', '')}".strip()


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
    decisions = (
        accept_decision(
            calls(signup_request_accept, "request"),
            title=_("Accept the account request"),
            explanation=_(
                "Accepting creates the family file, its guardians and children, and the "
                "primary guardian's login; the family receives an e-mail to choose a password."
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
        return {"request_data": readable_request(signup_request)}

    def bulk_items_label(self):
        return _("Requests")

    def family_name(self, obj):
        return request_name(obj)

    family_name.short_description = _("Name")

    def children_count(self, obj):
        return len(obj.data.get("children", []))

    children_count.short_description = _("Children")
