"""Staff screens of the family portal, registered in Wagtail's admin."""

from wagtail_modeladmin.options import modeladmin_register

from .signup.admin import SignupRequestAdmin

modeladmin_register(SignupRequestAdmin)
