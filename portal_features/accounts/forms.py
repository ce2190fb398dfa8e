"""Forms of the account screens: Django's auth forms with e-mail labels and French messages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .emails import send_templated_account_email
from .services import EMAIL_UNAVAILABLE_MESSAGE, email_is_available, normalize_login_email


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

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Through the task queue like every e-mail (Django's version sends during the
        # request), from the templates emails/password_reset*; the names passed in are unused.
        send_templated_account_email(name="password_reset", context=context, to_address=to_email)


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
