"""« Mes données »: the family asks for all its data, follows its preparation, downloads it."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from core.storage import private_file_response

from ..errors import PortalError
from ..portal.family import family_required
from ..portal.urls import portal_reverse
from ..portal.views import portal_render
from .selectors import data_export_for_download, latest_data_export
from .services import data_export_downloaded, data_export_request


def _render(request, *, error=None):
    return portal_render(
        request,
        "portal_features/rgpd/export.html",
        {
            "export": latest_data_export(family=request.family),
            "now": timezone.now(),
            "link_hours": settings.DATA_EXPORT_LINK_HOURS,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
@family_required
def export(request):
    if request.method == "POST":
        try:
            data_export_request(family=request.family, user=request.user)
        except PortalError as error:
            return _render(request, error=error.message)
        messages.success(
            request,
            gettext("Your data is being prepared. You will get an alert when it is ready."),
        )
        return redirect(portal_reverse(request, "rgpd:export"))
    return _render(request)


@require_http_methods(["GET"])
@family_required
def export_download(request, export_id):
    export = data_export_for_download(
        family=request.family, export_id=export_id, now=timezone.now()
    )
    data_export_downloaded(export=export, user=request.user)
    return private_file_response(export)
