from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_email(*, subject: str, text_body: str, html_body: str, to_address: str) -> None:
    """Send an account e-mail (text with an HTML alternative) from the task worker."""
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=[to_address])
    message.attach_alternative(html_body, "text/html")
    message.send()
