from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site's top-level pages marked "show in menus", in tree order (one query)."""
    request = context["request"]
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        items = site.root_page.get_children().live().in_menu().public()
    current = context.get("page") or context.get("self")
    return {"items": items, "current_path": getattr(current, "url_path", ""), "request": request}
