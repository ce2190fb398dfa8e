from django import template
from django.urls import NoReverseMatch

from portal_features.portal.urls import portal_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_url(context, viewname, *args, **kwargs):
    """{% portal_url "documents:detail" document.pk %}: an address below the PortalPage."""
    return portal_reverse(context["request"], viewname, *args, **kwargs)


@register.simple_tag(takes_context=True)
def alert_url(context, notification):
    """{% alert_url notification %}: where the alert leads, below the request's PortalPage."""
    link = notification.link
    if link is None:
        return ""
    try:
        return portal_reverse(context["request"], link.view, **link.kwargs)
    except NoReverseMatch:  # a screen since removed: the alert stays, without its link
        return ""
