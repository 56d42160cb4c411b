"""How django-allauth fits the hub: the client address the hub's limits use, the hub's name on
e-mails, the profile's language applied at sign-in, and which accounts must verify an address."""

import logging
from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import profile_for
from .ratelimit import client_ip

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's own reading trusts X-Forwarded-For only with its own settings; the hub has one
        # answer for every limit and log (settings.SEOULHUB_TRUSTED_PROXIES).
        return client_ip(request)

    def format_email_subject(self, subject: str) -> str:
        site_name = _("Seoul Digital Hub")
        return f"[{site_name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's e-mails greet with current_site.name, which without django.contrib.sites is
        # the host name: use the hub's name, in the language of the page that sent the mail. The
        # mail is rendered here and sent by a task (seoulhub.accounts.tasks).
        from allauth.core import context as allauth_context

        from .tasks import send_account_mail

        request = allauth_context.request
        host = request.get_host() if request is not None else ""
        context = {
            "request": request,
            "email": email,
            "current_site": SimpleNamespace(name=_("Seoul Digital Hub"), domain=host),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        try:
            send_account_mail.enqueue(
                message.subject,
                message.body,
                message.from_email,
                list(message.to),
                message.content_subtype,
                [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
            )
        except Exception:  # the queue being down must not break the page; the person can ask again
            log.exception("could not queue the account e-mail %s", template_prefix)

    def get_login_stages(self) -> list[str]:
        # By dotted path: importing allauth.account.stages before allauth's own modules is circular.
        return [
            "seoulhub.accounts.stages.EmailVerificationUnlessCreatedByOperator"
            if path.endswith(".EmailVerificationStage")
            else path
            for path in super().get_login_stages()
        ]

    def can_delete_email(self, email_address) -> bool:
        # Someone who signed up keeps at least one address: without one they would escape the
        # mandatory verification (seoulhub.accounts.stages) and password resets.
        others = EmailAddress.objects.filter(user_id=email_address.user_id).exclude(pk=email_address.pk)
        return others.exists() and super().can_delete_email(email_address)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        apply_language(response, profile_for(user).language)
        return response


def apply_language(response, language: str) -> None:
    """The interface language follows the language cookie (seoulhub.core.middleware)."""
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
