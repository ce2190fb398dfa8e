"""Template tags of the public site's frame: menu, breadcrumbs, pagination.

The menu and the breadcrumbs share one query per request (see cms.selectors).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.page_cache import cached_until_purge
from cms.selectors import site_root, site_sections

register = template.Library()

FRAME_PARTS = {"header": "includes/header.html", "footer": "includes/footer.html"}


def _current_page(context):
    return context.get("page") or context.get("self")


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site's top-level pages marked "show in menus", in tree order.

    Each item says whether it is the current page ("page") or the section that holds it
    ("true"), for `aria-current`.
    """
    request = context.get("request")
    root = site_root(request)
    current = _current_page(context)
    current_path = getattr(current, "url_path", "") or ""
    items = []
    for section in site_sections(request):
        if not section.show_in_menus:
            continue
        if section.url_path == current_path:
            state = "page"
        elif current_path.startswith(section.url_path):
            state = "true"
        else:
            state = ""
        items.append({"page": section, "current": state})
    return {
        "items": items,
        "home_page": root,
        "home_current": root is not None and current_path == root.url_path,
        "request": request,
    }


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page=None):
    """The live ancestors of the page, from the site's home page down.

    The home page and its sections are already loaded for the menu; only pages deeper than
    a section's child cost a query.
    """
    request = context.get("request")
    page = page or _current_page(context)
    root = site_root(request)
    if page is None or root is None or page.pk == root.pk or not page.path.startswith(root.path):
        return []
    ancestors = [root]
    if page.depth > root.depth + 1:
        section = next((s for s in site_sections(request) if page.path.startswith(s.path)), None)
        if section is None:  # an unpublished section: its pages are not reachable anyway
            return ancestors
        ancestors.append(section)
        if page.depth > section.depth + 1:
            ancestors += list(
                page.get_ancestors().filter(depth__gt=section.depth).live().order_by("depth")
            )
    return ancestors


@register.simple_tag
def elided_page_range(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current one, with the paginator's ellipsis for the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


def _menu_marker(request, current_path: str) -> str:
    """What of the header depends on the page shown: which menu entry is current."""
    root = site_root(request)
    if root is not None and current_path == root.url_path:
        return "home"
    for section in site_sections(request):
        if section.show_in_menus and current_path.startswith(section.url_path):
            return f"{section.pk}:{'page' if section.url_path == current_path else 'in'}"
    return ""


@register.simple_tag(takes_context=True)
def site_frame(context, part: str):
    """{% site_frame "header" %}: the site's header or footer, rendered once per publication.

    They show the commune's settings, its logo and the menu, the same for every visitor: kept
    until the next purge per site, language and (the header) current menu entry. A search
    results page (the query in the search box) and an editor's preview render them afresh.
    Nothing of a family's goes in them: the portal's own menu is in the page's content.
    """
    request = context.get("request")
    template_name = FRAME_PARTS[part]

    def render() -> str:
        with context.push():
            return context.template.engine.get_template(template_name).render(context)

    if part == "header" and context.get("search_query"):
        return render()  # the template's output, already safe
    key = f"frame:{part}"
    if part == "header":
        current = _current_page(context)
        key += ":" + _menu_marker(request, getattr(current, "url_path", "") or "")
    return _kept_fragment(request, key, render)


def _kept_fragment(request, key: str, render):
    """`render()`'s output kept until the next purge per site and language, or rendered
    afresh outside a site's request and in an editor's preview."""
    site = getattr(request, "_wagtail_site", None) if request is not None else None
    if site is None or getattr(request, "is_preview", False):
        return render()  # the template's output, already safe
    # Kept as the template rendered it: its values are escaped.
    return mark_safe(cached_until_purge(f"{key}:{site.pk}:{get_language()}", render))  # noqa: S308


class UntilPurgeNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        varies = ":".join(str(value.resolve(context)) for value in self.vary_on)
        return _kept_fragment(
            context.get("request"),
            f"fragment:{self.name}:{varies}",
            lambda: self.nodelist.render(context),
        )


@register.tag
def until_purge(parser, token):
    """{% until_purge "name" page.pk %}…{% enduntil_purge %}: a part of a page rendered once
    per publication (cms.page_cache), per site and language, and for the values named.

    Only for what every visitor sees alike and changes only on publication: nothing of the
    logged-in visitor's (messages, a form's CSRF token, a family's data) may go inside. An
    editor's preview renders it afresh.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then values.")
    nodelist = parser.parse(("enduntil_purge",))
    parser.delete_first_token()
    return UntilPurgeNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
