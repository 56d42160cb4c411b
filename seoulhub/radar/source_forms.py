"""Checking a feed address when an operator enters it (the web form and the Django admin).

The fetcher checks every address again at fetch time (a host's DNS answer can change); this check
only tells the operator right away that an address will never be fetched, instead of saving it and
failing silently at the first run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ingest.fetch import FetchError, FetchRefused
from .models import Source

MAX_URL_LENGTH = 1000


def feed_url_problem(url: str) -> str:
    """Why `url` cannot be a feed address, in words of the active language, or "" when it can."""
    url = (url or "").strip()
    if not url:
        return _("Enter the feed's address.")
    if len(url) > MAX_URL_LENGTH:
        return _("The address is longer than %(max)s characters.") % {"max": MAX_URL_LENGTH}
    if any(ord(c) < 32 or c.isspace() for c in url):
        return _("The address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError:
        return _("This is not a valid web address.")
    if parts.scheme.lower() not in ("http", "https"):
        return _("Only http:// and https:// feed addresses can be added (this one starts with %(scheme)s).") % {
            "scheme": repr(parts.scheme + ":") if parts.scheme else _("no scheme")
        }
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("This is not a valid web address.")
    from .tasks import fetcher  # the worker's fetcher: same allow-list (SEOULHUB_FETCH_ALLOW)

    try:
        fetcher().check_url(url)
    except FetchRefused as exc:
        return _(
            "This address points inside the hub's network or at a cloud metadata service, so the hub "
            "will never fetch it (it would let a feed read internal systems): %(reason)s"
        ) % {"reason": exc}
    except FetchError as exc:
        return _("The address cannot be reached: %(reason)s") % {"reason": exc}
    return ""


def clean_source_url(url: str, kind: str) -> str:
    """The cleaned address of a source, or ValidationError in words. A value without a scheme is a
    local file's path (the demo's fixtures; Source.is_local_file reads it so); anything with a scheme is
    a feed address and must pass feed_url_problem."""
    url = (url or "").strip()
    if not url or "\x00" in url:
        raise ValidationError(_("Enter the feed's address."))
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        raise ValidationError(_("This is not a valid web address.")) from None
    if not scheme and not url.startswith("//"):
        from .demo import repo_path

        try:
            is_file = repo_path(url).is_file()
        except (OSError, ValueError):  # a name too long for the file system, say
            is_file = False
        if kind == Source.Kind.FILE or is_file:
            return url
        raise ValidationError(_("This is neither a web address (it needs http:// or https://) nor a local file."))
    if kind == Source.Kind.FILE:
        raise ValidationError(_("A web address is a feed, not a local file: choose the feed's kind."))
    if problem := feed_url_problem(url):
        raise ValidationError(problem)
    return url


def _site_url_field():
    return forms.URLField(label=gettext_lazy("website"), max_length=1000, required=False, assume_scheme="https")


class SourceAdminForm(forms.ModelForm):
    """The admin's Source form: the same address check as the operator's page."""

    site_url = _site_url_field()

    class Meta:
        model = Source
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if "url" in cleaned:
            try:
                cleaned["url"] = clean_source_url(cleaned["url"], cleaned.get("kind") or Source.Kind.RSS)
            except ValidationError as exc:
                self.add_error("url", exc)
        return cleaned


class FeedForm(forms.ModelForm):
    """An operator adds a web feed (local files are the demo's, loaded by command)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("kind"),
        initial=Source.Kind.RSS,
        choices=[c for c in Source.Kind.choices if c[0] != Source.Kind.FILE],
    )
    site_url = _site_url_field()

    class Meta:
        model = Source
        fields = [
            "url",
            "name",
            "site_url",
            "kind",
            "language_hint",
            "trust_level",
            "fetch_interval_minutes",
            "full_text",
            "attribution",
        ]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://example.org/feed.xml"})}
        labels = {"url": gettext_lazy("feed address")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = gettext_lazy("Left empty, the address's host name is used.")
        self.fields["language_hint"].widget = forms.Select(
            choices=[("", "—"), ("ko", gettext_lazy("Korean")), ("en", gettext_lazy("English"))]
        )
        self.fields["fetch_interval_minutes"].min_value = 5
        self.fields["fetch_interval_minutes"].widget.attrs["min"] = 5

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if Source.objects.filter(url=url).exists():
            raise ValidationError(_("This feed is already a source."))
        if problem := feed_url_problem(url):
            raise ValidationError(problem)
        return url

    def clean_language_hint(self):
        hint = self.cleaned_data.get("language_hint") or ""
        if hint not in ("", "ko", "en"):
            raise ValidationError(_("Choose Korean, English or nothing."))
        return hint

    def clean_fetch_interval_minutes(self):
        minutes = self.cleaned_data.get("fetch_interval_minutes")
        if minutes is not None and not 5 <= minutes <= 7 * 24 * 60:
            raise ValidationError(_("Between 5 minutes and a week."))
        return minutes

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("url"):
            cleaned["name"] = (urlsplit(cleaned["url"]).hostname or cleaned["url"])[:200]
        return cleaned
