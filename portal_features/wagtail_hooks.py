"""Staff screens of the family portal, registered in Wagtail's admin."""

from wagtail_modeladmin.options import modeladmin_register

from .change_requests.admin import ChangeRequestAdmin
from .documents.admin import SupportingDocumentsAdminGroup
from .families_admin.admin import FamiliesAdminGroup
from .messaging.admin import MessagingAdminGroup
from .signup.admin import SignupRequestAdmin

modeladmin_register(SignupRequestAdmin)
modeladmin_register(ChangeRequestAdmin)
modeladmin_register(FamiliesAdminGroup)
modeladmin_register(MessagingAdminGroup)
modeladmin_register(SupportingDocumentsAdminGroup)
