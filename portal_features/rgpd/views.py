"""« Mes données »: the family downloads all its data."""

from django.http import FileResponse
from django.views.decorators.http import require_http_methods

from ..portal.family import family_required
from ..portal.views import portal_render
from .services import export_filename, family_data_export


@require_http_methods(["GET", "POST"])
@family_required
def export(request):
    if request.method == "POST":
        archive = family_data_export(family=request.family, actor=request.user)
        return FileResponse(
            archive,
            as_attachment=True,
            filename=export_filename(request.family),
            content_type="application/zip",
        )
    return portal_render(request, "portal_features/rgpd/export.html")
