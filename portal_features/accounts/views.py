"""Account screens: Django's auth views, configured with our forms and templates."""

from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from cms.models import CommuneSettings

from ..portal.family import family_for_user
from ..portal.urls import portal_reverse
from .forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    EmailAuthenticationForm,
    EmailChangeForm,
)
from .services import (
    AccountError,
    email_change_token,
    email_change_token_read,
    user_change_email,
    user_request_email_change,
)

TEMPLATES = "portal_features/accounts"


def commune_name(request) -> str:
    return CommuneSettings.for_request(request).name


class AccountLoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = f"{TEMPLATES}/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """A parent lands on the portal's home (staff and others on the site's home)."""
        if family_for_user(self.request.user) is not None:
            return portal_reverse(self.request, "home")  # "/" while no portal page is live
        return super().get_default_redirect_url()

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
    """Asks for the new address; the change waits for the link sent there to be followed."""

    form_class = EmailChangeForm
    template_name = f"{TEMPLATES}/email_change_form.html"
    success_url = reverse_lazy("accounts:email_change_sent")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        new_email = form.cleaned_data["new_email"]
        token = email_change_token(user=self.request.user, new_email=new_email)
        try:
            user_request_email_change(
                user=self.request.user,
                new_email=new_email,
                confirm_url=self.request.build_absolute_uri(
                    reverse("accounts:email_change_confirm", args=[token])
                ),
                site_name=commune_name(self.request),
            )
        except AccountError as error:
            form.add_error("new_email", error.message)
            return self.form_invalid(form)
        self.request.session["email_change_sent_to"] = new_email
        return super().form_valid(form)


class EmailChangeSentView(LoginRequiredMixin, TemplateView):
    template_name = f"{TEMPLATES}/email_change_sent.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "new_email": self.request.session.get("email_change_sent_to", ""),
        }


class EmailChangeConfirmView(View):
    """The link of the e-mail sent to the new address. Opening it shows a button: mail
    scanners that follow links (GET) change nothing; pressing it (POST) does.

    No login needed: the link may be opened on another device, and the signed token already
    says which account and which address (and was asked for by someone who knew the
    password)."""

    template_name = f"{TEMPLATES}/email_change_confirm.html"

    def get(self, request, token):
        try:
            user, new_email = email_change_token_read(token)
        except AccountError as error:
            return TemplateResponse(
                request, self.template_name, {"error": error.message}, status=400
            )
        return TemplateResponse(request, self.template_name, {"new_email": new_email})

    def post(self, request, token):
        try:
            user, new_email = email_change_token_read(token)
            user_change_email(user=user, new_email=new_email, site_name=commune_name(request))
        except AccountError as error:
            return TemplateResponse(
                request, self.template_name, {"error": error.message}, status=400
            )
        if request.user.is_authenticated and request.user.pk == user.pk:
            request.user.email = new_email
            return redirect("accounts:email_change_done")
        messages.success(
            request,
            gettext("Your e-mail address is changed: log in with %(email)s.")
            % {"email": new_email},
        )
        return redirect("accounts:login")


class EmailChangeDoneView(LoginRequiredMixin, TemplateView):
    template_name = f"{TEMPLATES}/email_change_done.html"
