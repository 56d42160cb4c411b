import hashlib
import logging

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .adapter import apply_language
from .forms import ProfileForm
from .models import ApiToken, profile_for
from .ratelimit import client_ip, hit

log = logging.getLogger(__name__)
LOGIN_ATTEMPTS_PER_MINUTE = 10  # per account and client address
LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE = 100  # one address trying many accounts


class RateLimitedLoginView(LoginView):
    """allauth's sign-in (e-mail or username), with the hub's limit on failed attempts."""

    def post(self, request, *args, **kwargs):
        # Keyed on the account and the client together: ten wrong passwords for one account lock
        # that account out for that client only, not everyone behind the same proxy address.
        client = client_ip(request)
        username = (request.POST.get("username") or "").strip().casefold()
        account = hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:24]
        if not (
            hit(f"login:{client}:{account}", LOGIN_ATTEMPTS_PER_MINUTE, 60)
            and hit(f"login:{client}", LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE, 60)
        ):
            log.warning("sign-in refused: too many attempts from %s (account %r)", client, username[:150])
            return render(request, "accounts/too_many_attempts.html", status=429)
        return super().post(request, *args, **kwargs)


@login_required
def profile(request):
    """The signed-in person's name, language and digest frequency, with links to what allauth
    manages (e-mail address, password) and to the API tokens."""
    profile = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            response = redirect("accounts:profile")
            apply_language(response, profile.language)
            messages.success(request, _("Profile saved."))
            return response
        messages.error(request, _("The profile was not saved: correct the fields marked below."))
        profile.refresh_from_db()  # the page shows what is stored, not the refused values
    else:
        form = ProfileForm(instance=profile)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile": profile,
            "email": EmailAddress.objects.filter(user=request.user, primary=True).first()
            or EmailAddress.objects.filter(user=request.user).first(),
            "token_count": request.user.api_tokens.active().count(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def tokens(request):
    new_raw = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name so you can recognise it later."))
        else:
            _token, new_raw = ApiToken.issue(request.user, name)
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": request.user.api_tokens.active(), "new_raw": new_raw},
    )


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
