"""Forms of the account screens: Django's auth forms with e-mail labels and French messages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from .services import EMAIL_UNAVAILABLE_MESSAGE, email_is_available, normalize_login_email
from .tasks import send_password_reset_email


def email_field(label, **attrs):
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"} | attrs
        ),
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail address.

    The field keeps Django's name "username": django-axes counts failures per value of that
    POST field and IP address.
    """

    username = email_field(_("E-mail address"), autofocus=True)
    remember_me = forms.BooleanField(
        label=_("Remember me"),
        required=False,
        help_text=_(
            "Stay logged in on this device for two weeks. Leave unticked on a shared computer."
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        # The same message whether the address exists or not.
        "invalid_login": _("Incorrect e-mail address or password."),
    }

    def clean_username(self):
        # Lower case before authenticating, so axes counts "Parent@x.fr" and "parent@x.fr"
        # as the same login.
        return normalize_login_email(self.cleaned_data["username"])


class AccountPasswordResetForm(PasswordResetForm):
    email = email_field(_("E-mail address"))

    def save(self, **kwargs):
        # Django's version looks the address up and renders the e-mail in the request, so a
        # known address was answered slower than an unknown one. The worker does all of it
        # (from the templates emails/password_reset*); the options passed in are unused.
        send_password_reset_email.enqueue(email=self.cleaned_data["email"])


class AdminPasswordResetForm(WagtailPasswordResetForm):
    """The Wagtail admin's "forgotten password", sent the same way
    (settings.WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""

    def save(self, **kwargs):
        send_password_reset_email.enqueue(email=self.cleaned_data["email"], admin=True)


class AccountPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")


class EmailChangeForm(forms.Form):
    new_email = email_field(_("New e-mail address"))
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = normalize_login_email(self.cleaned_data["new_email"])
        if email == self.user.email.lower():
            raise forms.ValidationError(
                _("This is already your e-mail address."), code="same_email"
            )
        if not email_is_available(email=email, user=self.user):
            raise forms.ValidationError(EMAIL_UNAVAILABLE_MESSAGE, code="email_unavailable")
        return email

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("Your current password is incorrect."), code="password_incorrect"
            )
        return password
