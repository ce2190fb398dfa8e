from django.conf import settings
from django.urls import include, path
from wagtail import hooks
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("account/signup/", include("portal_features.signup.urls")),
    path("account/", include("portal_features.accounts.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("calendar/", include("reservations.ical")),  # private iCalendar feeds, no login
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Addresses that apps above cms keep at the site's root (invoicing: the payment providers'
# notification, the payment simulator) come through this hook: cms imports none of them.
for register_site_urls in hooks.get_hooks("register_site_urls"):
    urlpatterns += register_site_urls()

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
