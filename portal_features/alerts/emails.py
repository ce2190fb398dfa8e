"""The e-mail copy of an alert: its link is resolved here, when the e-mail is written."""

from django.urls import NoReverseMatch

from core.emails import send_templated_email

from ..portal.urls import portal_absolute_url

TEMPLATE_DIR = "portal_features/alerts/emails"


def notification_email_copies(notification, recipients: list[str]) -> None:
    link, link_url = notification.link, ""
    if link is not None:
        try:
            link_url = portal_absolute_url(link.view, **link.kwargs)
        except NoReverseMatch:  # a screen since removed: the copy goes without its link
            link_url = ""
    context = {"notification": notification, "link_url": link_url}
    for email in recipients:
        send_templated_email(
            template_dir=TEMPLATE_DIR, name="notification", context=context, to_address=email
        )
