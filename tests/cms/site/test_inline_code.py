"""Our HTML templates hold no inline script, style or event handler: the Content-Security-
Policy (`script-src 'self'`, `style-src 'self'`) would block them, so a page would break.

Styles and scripts live under static/<app>/. Templates rendered to PDF by WeasyPrint and
e-mails (mail clients need inline styles) are not pages served to a browser: they may."""

import re

from django.conf import settings

TEMPLATES_DIR = settings.BASE_DIR / "templates"
NOT_SERVED_TO_BROWSERS = {"pdf", "emails"}

INLINE_CODE = {
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "inline <script>": re.compile(
        r"<script\b(?![^>]*\ssrc\s*=)(?![^>]*\stype=\"application/(?:ld\+)?json\")",
        re.IGNORECASE,
    ),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def browser_templates():
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        if NOT_SERVED_TO_BROWSERS.isdisjoint(path.relative_to(TEMPLATES_DIR).parts):
            yield path


def inline_code_in(text: str) -> list[str]:
    found = []
    for what, pattern in INLINE_CODE.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {what}")
    return found


def test_the_patterns_catch_inline_code():
    page = (
        '<li style="margin: 0">\n<style>p {}</style>\n<script>alert(1)</script>\n'
        '<button type="button" onclick="go()">\n<a href="javascript:go()">'
    )
    allowed = (
        '<script src="/static/js/site.js" defer></script>\n'
        '<script type="application/json" id="data">{}</script>\n'
        "<p>list-style: none; one = two</p>\n"
        '<input name="online" value="{{ form.online }}">'
    )

    assert len(inline_code_in(page)) == 5
    assert inline_code_in(allowed) == []


def test_browser_templates_hold_no_inline_script_or_style():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)} {finding}"
        for path in browser_templates()
        for finding in inline_code_in(path.read_text())
    ]

    assert offenders == []
