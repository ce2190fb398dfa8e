from wagtail import hooks

from .page_cache import read_only_query_params


@hooks.register("before_serve_page")
def keep_the_query_params_the_page_reads(page, request, serve_args, serve_kwargs):
    """A page type that declares `reads_query_params` sees only those parameters, and the
    anonymous page cache keys it on them alone; other page types are never cached."""
    names = getattr(page, "reads_query_params", None)
    if names is not None:
        read_only_query_params(request, names)
