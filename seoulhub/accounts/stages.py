"""The sign-in step that asks for a verified e-mail address (named in AccountAdapter.get_login_stages)."""

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage


class EmailVerificationUnlessCreatedByOperator(EmailVerificationStage):
    """Everyone who gave an address must verify it before signing in. Accounts an operator
    created (createsuperuser, the admin, the demo loader) have no address on record to verify
    and sign in with their username, as before accounts were self-service."""

    def handle(self):
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()
