"""Placeholder for screens being built: the URL names exist, the pages answer 404."""

from django.http import Http404


def not_built(request, *args, **kwargs):
    raise Http404
