"""The printable month calendar ("Imprimer Planning Calendrier"): an A4 landscape PDF of the
same grid the screen shows, with codes and the legend so it reads in black and white."""

from django.template.loader import render_to_string

TEMPLATE = "reservations/pdf/calendar.html"


def pdf_filename(month) -> str:
    # The name families see in their downloads folder, in the interface's language.
    return f"calendrier-{month:%Y-%m}.pdf"


def calendar_pdf_render(request, context: dict) -> bytes:
    """Render the calendar template to PDF bytes. Images and styles resolve against the
    site's own address."""
    import weasyprint  # loaded on first print only: it is heavy

    html = render_to_string(TEMPLATE, context, request=request)
    return weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
