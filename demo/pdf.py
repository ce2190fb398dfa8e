"""Printable demo documents (tarifs, règlements, menus…) rendered to PDF with WeasyPrint."""

import functools
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from . import commune

STYLESHEET = """
@page { size: A4; margin: 2cm 1.8cm 2.2cm;
        @bottom-center { content: "%(footer)s – page " counter(page) "/" counter(pages);
                         font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #1b1b1b; }
header { border-bottom: 3px solid #14468c; margin-bottom: 1.2em; padding-bottom: .6em; }
header .commune { font-weight: bold; color: #14468c; font-size: 12pt; }
header .service { color: #555; }
h1 { font-size: 18pt; margin: .2em 0; color: #14468c; }
.subtitle { font-size: 11pt; color: #333; margin-top: 0; }
h2 { font-size: 12.5pt; color: #14468c; margin-top: 1.4em; }
table { width: 100%%; border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid #9aa7b8; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #e6edf6; }
td.amount { text-align: right; white-space: nowrap; }
.field { border-bottom: 1px dotted #555; height: 1.6em; margin-bottom: .4em; }
.note { font-size: 9pt; color: #444; }
"""


# Rendering is pure, so a process that seeds several databases (the tests) renders each once.
@functools.cache
def render_pdf(*, title: str, subtitle: str, body_html: str) -> bytes:
    """An A4 document with the commune's letterhead; body_html is trusted demo markup."""
    footer = escape(f"{commune.NAME} – Service enfance-jeunesse").replace('"', "")
    html = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{STYLESHEET % {"footer": footer}}</style></head>
<body>
<header>
  <div class="commune">{escape(commune.NAME)}</div>
  <div class="service">Service enfance-jeunesse · {escape(commune.PHONE)}
    · {escape(commune.EMAIL)}</div>
</header>
<h1>{escape(title)}</h1>
<p class="subtitle">{escape(subtitle)}</p>
{body_html}
</body></html>"""
    return HTML(string=html).write_pdf()


_rendered: dict[str, bytes] = {}


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A small PDF per kind of supporting document, drawn once per run."""
    if title not in _rendered:
        _rendered[title] = render_pdf(
            title=title,
            subtitle="Pièce justificative",
            body_html="<p>Document de démonstration.</p>",
        )
    name = f"{title.lower().replace(' ', '-')}.pdf"
    return SimpleUploadedFile(name, _rendered[title], "application/pdf")
