"""Invoicing's place in the site: importing the package registers the « Facturation » menu
and its staff screens; the payment providers' addresses (notifications, the simulator) are
served outside the portal page."""

from django.urls import include, path
from wagtail import hooks

from . import admin  # noqa: F401


@hooks.register("register_site_urls")
def register_site_urls():
    return [path("", include("invoicing.site_urls"))]
