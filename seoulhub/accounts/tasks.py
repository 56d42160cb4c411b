"""Account e-mails (verification, password reset, address change) leave the request: the page
renders them in its language and a task sends them, so a slow or failing mail server never holds
up or breaks a sign-up."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_mail(
    subject: str, body: str, from_email: str, to: list[str], content_subtype: str, alternatives: list[list[str]]
) -> int:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    message.content_subtype = content_subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()
