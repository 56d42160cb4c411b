from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, whose e-mail-or-username field is sent as `username`: the name the
    sign-in limiter (seoulhub.accounts.views), password managers and the hub's scripts know."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail or username")
        self.fields["login"].widget.attrs.update(placeholder="", autocomplete="username")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in")

    def add_prefix(self, field_name):
        return "username" if field_name == "login" else super().add_prefix(field_name)


class ProfileForm(forms.ModelForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown instead of your e-mail address. Leave empty to show the address."),
    )

    class Meta:
        model = Profile
        fields = ["language", "digest_frequency"]
        labels = {
            "language": _("Language"),
            "digest_frequency": _("E-mail digest"),
        }
        help_texts = {
            "language": _("Applied whenever you sign in."),
            "digest_frequency": _("How often the hub e-mails you what is new in your subscriptions."),
        }
        widgets = {"language": forms.RadioSelect, "digest_frequency": forms.RadioSelect}

    field_order = ["display_name", "language", "digest_frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("display_name", self.instance.user.get_full_name())

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(not ch.isprintable() for ch in name):
            raise forms.ValidationError(_("The display name may not hold control characters."))
        return name

    def save(self, commit=True):
        profile = super().save(commit=commit)
        if commit:
            user = profile.user
            user.first_name, user.last_name = self.cleaned_data["display_name"], ""
            user.save(update_fields=["first_name", "last_name"])
        return profile
