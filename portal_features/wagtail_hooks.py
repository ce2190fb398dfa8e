"""Staff screens of the family portal, registered in Wagtail's admin."""

from core.staff import register

from .change_requests.admin import ChangeRequestAdmin
from .documents.admin import SupportingDocumentsAdminGroup
from .families_admin.admin import FamiliesAdminGroup
from .messaging.admin import MessagingAdminGroup
from .signup.admin import SignupRequestAdmin

register(SignupRequestAdmin)
register(ChangeRequestAdmin)
register(FamiliesAdminGroup)
register(MessagingAdminGroup)
register(SupportingDocumentsAdminGroup)
