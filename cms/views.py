from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site, get_page_models

from .page_cache import reads_query_params

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
@reads_query_params("q", "page")
def search(request):
    query = request.GET.get("q", "").strip()
    site = Site.find_for_request(request)
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.search(query)
    page_obj = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "cms/search.html", {"search_query": query, "page_obj": page_obj}
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        *(f"Disallow: {path}" for path in _disallowed_page_paths(request)),
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _disallowed_page_paths(request) -> list[str]:
    """Where the live pages of every page type saying `robots_disallow = True` sit (the
    family portal's screens are below wherever editors placed its page)."""
    paths = []
    for model in get_page_models():
        if getattr(model, "robots_disallow", False):
            paths += [page.get_url(request) for page in model.objects.live()]
    # A subclass's pages are also its parent type's: each path is said once.
    return [path for path in dict.fromkeys(paths) if path]


@require_GET
def healthz(request):
    """For load balancers and the benchmarks' baseline: no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def site_tree(site) -> list[dict]:
    """The site's live public pages as nested lists, from the home page down (one query)."""
    if site is None:
        return []
    root = site.root_page
    pages = list(
        Page.objects.live()
        .public()
        .descendant_of(root, inclusive=True)
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path", "slug", "locale_id")
    )
    nodes = {}
    top = []
    for page in pages:
        node = {"page": page, "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is None:
            top.append(node)
        else:
            parent["children"].append(node)
    return top


@require_GET
def site_map(request):
    """« Plan du site »: every public page of the site as a tree (sitemap.xml is for robots)."""
    return TemplateResponse(
        request, "cms/site_map.html", {"tree": site_tree(Site.find_for_request(request))}
    )


@require_GET
def accessibility(request):
    """« Déclaration d'accessibilité », as the RGAA requires of a public body's site."""
    return TemplateResponse(request, "cms/accessibility.html", {})
