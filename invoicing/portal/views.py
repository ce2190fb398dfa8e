from django.views.decorators.http import require_http_methods

from portal_features.portal.family import family_required

from ..pdf import invoice_pdf_for_family


@require_http_methods(["GET"])
@family_required
def invoice_pdf(request, invoice_id):
    """The invoice or credit note as issued, byte for byte; another family's gives 404."""
    return invoice_pdf_for_family(family=request.family, invoice_id=invoice_id)
