from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_contact_email(
    *, subject: str, body: str, from_address: str, to_addresses: list[str], reply_to: str
) -> None:
    EmailMessage(
        subject=subject,
        body=body,
        from_email=from_address or None,
        to=to_addresses,
        reply_to=[reply_to] if reply_to else None,
    ).send()
