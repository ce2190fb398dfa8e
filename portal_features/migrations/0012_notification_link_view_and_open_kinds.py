"""Alerts store a portal view and its arguments instead of an address, and their kinds are
codes each app registers (no choices here any more).

Existing links are converted best effort: the path of the stored address (absolute or
site-relative) is matched against the portal's screens, dropping leading segments (where
the portal page was) until one matches; a link that matches no screen is dropped (the alert
stays, without its "See" link). Going back restores the addresses below the live portal
page of that time, when there is one.
"""

from urllib.parse import urlsplit

from django.db import migrations, models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

PORTAL_URLCONF = "portal_features.portal_urls"


def _view_of(link: str):
    segments = [part for part in urlsplit(link).path.split("/") if part]
    for start in range(len(segments)):
        try:
            match = resolve("/" + "/".join(segments[start:]) + "/", urlconf=PORTAL_URLCONF)
        except Resolver404:
            continue
        if match.view_name and ":" in match.view_name and not match.args:
            return match.view_name, dict(match.kwargs)
    return None


def links_to_views(apps, schema_editor):
    Notification = apps.get_model("portal_features", "Notification")
    for notification in Notification.objects.exclude(link="").only("pk", "link").iterator():
        found = _view_of(notification.link)
        view, kwargs = found if found else ("", {})
        Notification.objects.filter(pk=notification.pk).update(link_view=view, link_kwargs=kwargs)


def views_to_links(apps, schema_editor):
    Notification = apps.get_model("portal_features", "Notification")
    PortalPage = apps.get_model("portal_features", "PortalPage")
    page = PortalPage.objects.filter(live=True).order_by("path").first()
    if page is None:
        return
    for notification in Notification.objects.exclude(link_view="").iterator():
        try:
            path = reverse(
                notification.link_view, urlconf=PORTAL_URLCONF, kwargs=notification.link_kwargs
            )
        except NoReverseMatch:
            continue
        # url_path starts with the site root's slug: keep what follows it.
        below_root = "/" + page.url_path.strip("/").partition("/")[2]
        link = below_root.rstrip("/") + path
        Notification.objects.filter(pk=notification.pk).update(link=link[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_features", "0011_family_quotient_fields_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="link_view",
            field=models.CharField(blank=True, max_length=100, verbose_name="link to"),
        ),
        migrations.AddField(
            model_name="notification",
            name="link_kwargs",
            field=models.JSONField(blank=True, default=dict, verbose_name="link arguments"),
        ),
        migrations.RunPython(links_to_views, views_to_links),
        migrations.RemoveField(model_name="notification", name="link"),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=30, verbose_name="kind"),
        ),
    ]
