from django.urls import include, path
from wagtail import hooks


@hooks.register("register_site_urls")
def register_site_urls():
    return [path("", include("invoicing.site_urls"))]
