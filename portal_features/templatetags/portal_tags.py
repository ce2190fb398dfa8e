from django import template

from portal_features.portal.urls import portal_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_url(context, viewname, *args, **kwargs):
    """{% portal_url "documents:detail" document.pk %}: an address below the PortalPage."""
    return portal_reverse(context["request"], viewname, *args, **kwargs)
