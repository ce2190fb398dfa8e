"""The public "Nouveau dossier" page: read the forms, call the service, say it is received."""

from django.shortcuts import redirect
from django.views.generic import TemplateView

from cms.models import CommuneSettings
from core.client_ip import client_ip

from ..models import DocumentType
from ..schools import commune_schools
from .forms import SignupForms
from .services import signup_request_submit
from .throttle import signup_allowed, window_minutes

TEMPLATES = "portal_features/signup"


class SignupView(TemplateView):
    template_name = f"{TEMPLATES}/signup_form.html"

    def forms(self, *args, **kwargs) -> SignupForms:
        return SignupForms(
            *args,
            schools=commune_schools(self.request),
            document_types=DocumentType.objects.order_by("-is_required", "sort_order", "name"),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        privacy_page = CommuneSettings.for_request(self.request).privacy_page
        context["privacy_page"] = privacy_page if privacy_page and privacy_page.live else None
        return context

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return self.render_to_response(self.get_context_data(forms=self.forms()))

    def render_to_response(self, context, **kwargs):
        if "view" not in context:
            context = self.get_context_data(**context)
        return super().render_to_response(context, **kwargs)

    def post(self, request, *args, **kwargs):
        if "add_child" in request.POST:
            forms = self.forms(request.POST, extra_child=True)
            return self.render_to_response({"forms": forms, "child_added": True})
        forms = self.forms(request.POST, request.FILES)
        if not forms.is_valid():
            return self.render_to_response({"forms": forms, "has_errors": True})
        if not signup_allowed(email=forms.email, ip=client_ip(request)):
            # Known and unknown addresses alike: nothing stored, nothing sent.
            return self.render_to_response(
                {"forms": forms, "throttled_minutes": window_minutes()}, status=429
            )
        signup_request_submit(
            data=forms.cleaned_request(), email=forms.email, documents=forms.documents()
        )
        return redirect("signup:received")


class SignupReceivedView(TemplateView):
    template_name = f"{TEMPLATES}/signup_received.html"
