"""Staff screens of the « Messagerie »: services, themes and the families' conversations.

Staff read a conversation in its inspect view and answer there; the answer goes through
message_post_by_staff, as in the tests. Attachments are served by an access-checked view.
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.columns import related_column
from core.staff import (
    ChangeOnlyPermissionHelper,
    InspectView,
    ModelAdminGroup,
    PrivateFile,
    StaffModelAdmin,
    related_filter,
)
from core.submit import form_submit

from ..models import MessageAttachment, Service, Theme, Thread
from .forms import ReplyForm
from .selectors import thread_messages
from .services import message_post_by_staff, thread_mark_read_by_staff

TEMPLATES = "portal_features/messaging/admin"


class ThreadPermissionHelper(ChangeOnlyPermissionHelper):
    """Conversations are started by families; staff read and answer, never edit or delete."""

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_reply(self, user):
        return self.user_has_specific_permission(user, "change_thread")


class ThreadInspectView(InspectView):
    """The conversation, its attachments and the reply form; opening it marks it read."""

    def get_page_subtitle(self):
        return self.instance.subject

    def get(self, request, *args, **kwargs):
        thread_mark_read_by_staff(thread=self.instance)
        return self.render_conversation(ReplyForm())

    def post(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_reply(request.user):
            raise PermissionDenied
        form = ReplyForm(request.POST, request.FILES)
        sent = form_submit(
            request,
            form,
            lambda data: message_post_by_staff(
                thread=self.instance,
                body=data["body"],
                attachments=form.attachments,
                actor=request.user,
            ),
            done=_("Reply sent; the family has been notified."),
            then=self.url_helper.get_action_url("inspect", quote(self.pk_quoted)),
        )
        return sent or self.render_conversation(form)

    def render_conversation(self, form):
        context = self.get_context_data(
            thread_messages=thread_messages(thread=self.instance),
            form=form,
            can_reply=self.permission_helper.user_can_reply(self.request.user),
            attachment_url_name=self.url_helper.get_action_url_name("attachment"),
        )
        return self.render_to_response(context)


# By service (Django's related-field filter needs django.contrib.admin, not installed).
ServiceFilter = related_filter(
    _("service"), "service", "service_id", lambda: Service.objects.order_by("name")
)


class ThreadAdmin(StaffModelAdmin):
    model = Thread
    menu_label = _("Conversations")
    menu_icon = "mail"
    list_display = (
        "unread",
        "family_number",
        "family_name",
        "service",
        "theme_name",
        "subject",
        "last_message_at",
    )
    list_filter = (ServiceFilter, "staff_unread")
    search_fields = ("family__name", "family__number", "subject")
    ordering = ("-staff_unread", "-last_message_at", "-pk")
    inspect_view_enabled = True
    inspect_view_class = ThreadInspectView
    inspect_template_name = f"{TEMPLATES}/thread_inspect.html"
    history_view_enabled = False
    permission_helper_class = ThreadPermissionHelper
    private_files = (PrivateFile("attachment", model=MessageAttachment),)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("family", "service", "theme")

    def unread(self, obj):
        return _("Unread") if obj.staff_unread else ""

    unread.short_description = _("To read")

    family_number = related_column("family.number", _("Family number"))
    family_name = related_column("family.name", _("Family"))
    theme_name = related_column("theme.name", _("Theme"))


class ServiceAdmin(StaffModelAdmin):
    model = Service
    menu_label = _("Services")
    menu_icon = "group"
    list_display = ("name", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class ThemeAdmin(StaffModelAdmin):
    model = Theme
    menu_label = _("Themes")
    menu_icon = "tag"
    list_display = ("name", "service", "is_active")
    list_filter = (ServiceFilter, "is_active")
    search_fields = ("name", "service__name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service")


class MessagingAdminGroup(ModelAdminGroup):
    menu_label = _("Messages")
    menu_icon = "mail"
    menu_order = 230
    items = (ThreadAdmin, ServiceAdmin, ThemeAdmin)
