"""The public "Nouveau dossier" page: read the forms, call the service, say it is received."""

from django.shortcuts import redirect
from django.views.generic import TemplateView

from core.client_ip import client_ip

from .forms import SignupForms
from .services import signup_request_submit
from .throttle import signup_allowed, window_minutes

TEMPLATES = "portal_features/signup"


class SignupView(TemplateView):
    template_name = f"{TEMPLATES}/signup_form.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return self.render_to_response({"forms": SignupForms()})

    def post(self, request, *args, **kwargs):
        if "add_child" in request.POST:
            forms = SignupForms(request.POST, extra_child=True)
            return self.render_to_response({"forms": forms, "child_added": True})
        forms = SignupForms(request.POST)
        if not forms.is_valid():
            return self.render_to_response({"forms": forms, "has_errors": True})
        if not signup_allowed(email=forms.email, ip=client_ip(request)):
            # Known and unknown addresses alike: nothing stored, nothing sent.
            return self.render_to_response(
                {"forms": forms, "throttled_minutes": window_minutes()}, status=429
            )
        signup_request_submit(data=forms.cleaned_request(), email=forms.email)
        return redirect("signup:received")


class SignupReceivedView(TemplateView):
    template_name = f"{TEMPLATES}/signup_received.html"
