"""Account screens: Django's auth views, configured with our forms and templates."""

from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from cms.models import CommuneSettings

from .forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    EmailAuthenticationForm,
    EmailChangeForm,
)
from .services import AccountError, user_change_email

TEMPLATES = "portal_features/accounts"


def commune_name(request) -> str:
    return CommuneSettings.for_request(request).name


class AccountLoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = f"{TEMPLATES}/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "remember me" the cookie dies with the browser; with it, it lasts
        # SESSION_COOKIE_AGE (two weeks).
        remember = form.cleaned_data["remember_me"]
        self.request.session.set_expiry(settings.SESSION_COOKIE_AGE if remember else 0)
        return response


class AccountLogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), then the LOGOUT_REDIRECT_URL with a message."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out. See you soon!"))
        return response


class AccountPasswordResetView(auth_views.PasswordResetView):
    form_class = AccountPasswordResetForm
    template_name = f"{TEMPLATES}/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class AccountPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = f"{TEMPLATES}/password_reset_done.html"


class AccountPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = f"{TEMPLATES}/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever opened the link controls the mailbox: a parent locked out after too many
        # tries can log in with the new password at once.
        reset_lockouts(username=form.user.email)
        return response


class AccountPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = f"{TEMPLATES}/password_reset_complete.html"


class AccountPasswordChangeView(auth_views.PasswordChangeView):
    form_class = AccountPasswordChangeForm
    template_name = f"{TEMPLATES}/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class AccountPasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = f"{TEMPLATES}/password_change_done.html"


class EmailChangeView(LoginRequiredMixin, FormView):
    form_class = EmailChangeForm
    template_name = f"{TEMPLATES}/email_change_form.html"
    success_url = reverse_lazy("accounts:email_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            user_change_email(
                user=self.request.user,
                new_email=form.cleaned_data["new_email"],
                site_name=commune_name(self.request),
            )
        except AccountError as error:
            form.add_error("new_email", error.message)
            return self.form_invalid(form)
        return super().form_valid(form)


class EmailChangeDoneView(LoginRequiredMixin, TemplateView):
    template_name = f"{TEMPLATES}/email_change_done.html"
