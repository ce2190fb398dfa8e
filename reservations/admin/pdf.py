"""Printable staff documents (attendance sheet, kitchen list): a template rendered to HTML,
then to PDF with WeasyPrint."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The template as an A4 PDF; its styles are inline, so nothing is fetched."""
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser, ready to print; saved under `filename`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
