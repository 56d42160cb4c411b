"""Support (accelerator): firms, their members, programmes and machine-checkable eligibility rules."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoulhub.core import clock
from seoulhub.core.i18n import localised
from seoulhub.matching.brn import InvalidBRN, format_brn, validate_brn


BRN_MESSAGES = {
    "empty": _("The business registration number is empty: it has 10 digits."),
    "digits": _("The business registration number '%(raw)s' may contain only digits and hyphens."),
    "length": _("The business registration number '%(raw)s' has %(count)s digits; it needs 10."),
    "check_digit": _(
        "The business registration number '%(raw)s' fails its check digit (the last digit should be %(expected)s)."
    ),
}


def brn_error(exc: InvalidBRN) -> ValidationError:
    message = BRN_MESSAGES.get(exc.reason)
    if message is None:
        return ValidationError(str(exc), code="invalid_brn")
    return ValidationError(message, code="invalid_brn", params=exc.params)


def validate_brn_field(value: str) -> None:
    try:
        validate_brn(value)
    except InvalidBRN as exc:
        raise brn_error(exc) from exc


class RevenueBand(models.TextChoices):
    """Annual revenue bands in KRW (bands rather than figures: firms give these more readily)."""

    UNDER_1B = "lt1b", _("under KRW 1 billion")
    B1_10 = "1b-10b", _("KRW 1-10 billion")
    B10_50 = "10b-50b", _("KRW 10-50 billion")
    B50_150 = "50b-150b", _("KRW 50-150 billion")
    B150_1000 = "150b-1t", _("KRW 150 billion - 1 trillion")
    OVER_1T = "gt1t", _("over KRW 1 trillion")


# Upper bound of each band in KRW; used by the matching engine for revenue rules.
REVENUE_BAND_BOUNDS: dict[str, tuple[int, int | None]] = {
    RevenueBand.UNDER_1B: (0, 1_000_000_000),
    RevenueBand.B1_10: (1_000_000_000, 10_000_000_000),
    RevenueBand.B10_50: (10_000_000_000, 50_000_000_000),
    RevenueBand.B50_150: (50_000_000_000, 150_000_000_000),
    RevenueBand.B150_1000: (150_000_000_000, 1_000_000_000_000),
    RevenueBand.OVER_1T: (1_000_000_000_000, None),
}


class Stage(models.TextChoices):
    PRE_STARTUP = "pre_startup", _("pre-startup (예비창업)")
    STARTUP = "startup", _("startup (up to 7 years)")
    GROWTH = "growth", _("growth")
    SME = "sme", _("established SME")
    MIDSIZE = "midsize", _("mid-sized company (중견기업)")
    LISTED = "listed", _("listed company")
    LARGE = "large", _("large company")


class Certification(models.TextChoices):
    VENTURE = "venture", _("Venture company (벤처기업)")
    INNOBIZ = "innobiz", _("INNOBIZ (기술혁신형 중소기업)")
    MAINBIZ = "mainbiz", _("MAINBIZ (경영혁신형 중소기업)")
    SOCIAL = "social", _("Social enterprise (사회적기업)")
    WOMEN = "women", _("Women-owned business (여성기업)")
    RESEARCH_INSTITUTE = "research_lab", _("Corporate research institute (기업부설연구소)")
    GS = "gs", _("GS (Good Software) certified")


class Firm(models.Model):
    """A company in the hub's registry. A firm may come from the KRX listing (which gives a
    stock code and a province but no business registration number or district) or be entered
    by its members / imported by an operator."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered on the hub")
        KRX = "krx", _("KRX KIND listed-company list")
        IMPORT = "import", _("operator import (CSV/XLSX)")
        VENTURE_SAMPLE = "venture", _("MSS venture-firm list (a sample of 71 Seoul firms)")

    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    brn = models.CharField(
        _("business registration number"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_brn_field],
        help_text=_("10 digits, hyphens allowed (e.g. 124-81-00998); checked with its check digit"),
    )
    stock_code = models.CharField(_("KRX stock code"), max_length=6, unique=True, null=True, blank=True)
    district = models.ForeignKey(
        "taxonomy.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="firms",
        verbose_name=_("district (gu)"),
    )
    province = models.CharField(
        _("province"), max_length=40, blank=True, help_text=_("as given by the source, e.g. 서울특별시")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    ksic = models.ForeignKey(
        "taxonomy.KsicCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="firms",
        verbose_name=_("KSIC code"),
    )
    industry_text = models.CharField(_("industry as given by the source"), max_length=200, blank=True)
    products = models.TextField(_("main products"), blank=True)
    description = models.TextField(_("description"), blank=True)
    technologies = models.ManyToManyField(
        "taxonomy.Technology",
        blank=True,
        related_name="firms",
        through="FirmTechnology",
        verbose_name=_("technologies"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue_band = models.CharField(_("revenue band"), max_length=10, choices=RevenueBand.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    certifications = models.JSONField(
        _("certifications"),
        default=list,
        blank=True,
        help_text=_("codes from the certification list, e.g. venture, innobiz"),
    )
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    provenance = models.TextField(
        _("provenance"), blank=True, help_text=_("where each value came from, e.g. the file and row of an import")
    )
    # Text embedding (seoulhub.text.embed format) of name + products + description, computed once.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        indexes = [models.Index(fields=["source"]), models.Index(fields=["name_ko"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)

    @property
    def brn_display(self) -> str:
        return format_brn(self.brn) if self.brn else ""

    @property
    def certification_names(self) -> list[str]:
        """The certifications in the reader's language ("벤처기업", not the code "venture")."""
        names = dict(Certification.choices)
        return [str(names.get(code, code)) for code in self.certifications or []]

    def get_absolute_url(self) -> str:
        return reverse("support:firm_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.brn:
            try:
                self.brn = validate_brn(self.brn)
            except InvalidBRN as exc:
                raise ValidationError({"brn": brn_error(exc)}) from exc
        unknown = [c for c in (self.certifications or []) if c not in Certification.values]
        if unknown:
            raise ValidationError(
                {"certifications": _("unknown certification(s): %(codes)s") % {"codes": ", ".join(map(str, unknown))}}
            )

    def age_years(self, on: datetime.date | None = None) -> int | None:
        """Whole years since founding (None when unknown)."""
        if self.founded_on is None:
            return None
        on = on or clock.today()
        years = on.year - self.founded_on.year
        if (on.month, on.day) < (self.founded_on.month, self.founded_on.day):
            years -= 1
        return max(years, 0)


class FirmTechnology(models.Model):
    """One technology tag of a firm, with where it comes from and how sure the hub is of it.
    A tag set by a person (form, API, import) is declared (1.0); enrichment writes the others:
    inferred from the firm's products and description (the tagger's score) or the default of its
    KSIC code (0.3: a KSIC code names an industry, not what this firm makes)."""

    class Provenance(models.TextChoices):
        DECLARED = "declared", _("declared by the firm")
        PRODUCTS = "products", _("inferred from products")
        KSIC = "ksic", _("KSIC default")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE)
    technology = models.ForeignKey("taxonomy.Technology", on_delete=models.CASCADE)
    provenance = models.CharField(
        _("provenance"), max_length=10, choices=Provenance.choices, default=Provenance.DECLARED
    )
    confidence = models.FloatField(_("confidence"), default=1.0, help_text=_("0 to 1"))

    class Meta:
        # The table of the former automatic many-to-many: existing tags keep their rows.
        db_table = "support_firm_technologies"
        unique_together = [("firm", "technology")]
        verbose_name = _("firm technology")
        verbose_name_plural = _("firm technologies")

    def __str__(self) -> str:
        return f"{self.firm_id}:{self.technology_id} ({self.provenance} {self.confidence:.2f})"

    @property
    def badge(self) -> str:
        """The short word on the firm page: 신고 / 제품에서 추정 / 업종 기본값."""
        return str(
            {
                self.Provenance.DECLARED: _("declared"),
                self.Provenance.PRODUCTS: _("from products"),
                self.Provenance.KSIC: _("KSIC default"),
            }.get(self.provenance, self.provenance)
        )


class FirmMember(models.Model):
    """A user who may act for (and edit) a firm."""

    class MemberRole(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="members", verbose_name=_("firm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("firm member")
        verbose_name_plural = _("firm members")
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="support_firm_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm}"


# A rolling call (no dates) announced longer ago than this is not shown as open.
STALE_AFTER_DAYS = 365


class ProgrammeQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None) -> ProgrammeQuerySet:
        """Programmes taking applications `today` (clock.today() by default), in the database: a dated
        window that includes today, or a rolling call announced within STALE_AFTER_DAYS.
        `support.services.window_status` says the same of one programme in memory (a test holds them equal)."""
        return self.filter(open_q(today))

    def not_open(self, today: datetime.date | None = None) -> ProgrammeQuerySet:
        # By id: a negated filter over nullable dates would drop the rows with NULLs.
        return self.exclude(pk__in=Programme.objects.open(today).values("pk"))


def open_q(today: datetime.date | None = None) -> models.Q:
    today = today or clock.today()
    Q = models.Q
    has_window = Q(opens_on__isnull=False) | Q(closes_on__isnull=False)
    in_window = (Q(opens_on__isnull=True) | Q(opens_on__lte=today)) & (
        Q(closes_on__isnull=True) | Q(closes_on__gte=today)
    )
    # window_status takes the date of the stored (UTC) timestamp, so compare in UTC too.
    cutoff = datetime.datetime.combine(
        today - datetime.timedelta(days=STALE_AFTER_DAYS), datetime.time.min, tzinfo=datetime.timezone.utc
    )
    next_day = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.timezone.utc
    )
    fresh = Q(source_created_at__isnull=True) | Q(source_created_at__gte=cutoff, source_created_at__lt=next_day)
    rolling = Q(opens_on__isnull=True, closes_on__isnull=True, rolling=True) & fresh
    return (has_window & in_window) | rolling


class Programme(models.Model):
    """A support programme (funding, voucher, space, ...) with an application window and rules."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("funding / grant")
        VOUCHER = "voucher", _("voucher")
        LOAN = "loan", _("loan / guarantee")
        SPACE = "space", _("space")
        MENTORING = "mentoring", _("mentoring / consulting / training")
        PLATFORM = "platform", _("platform service (cloud credits, data, testbed)")
        EXPORT = "export", _("export")
        HIRING = "hiring", _("hiring")
        RND = "rnd", _("R&D")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered on the hub")
        BIZINFO = "bizinfo", _("기업마당 (bizinfo.go.kr) open API")
        KSTARTUP = "kstartup", _("K-Startup (k-startup.go.kr) announcements")

    title = models.CharField(_("title"), max_length=300)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    ministry = models.CharField(_("responsible ministry / region"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    support_field = models.CharField(_("support field as given by the source"), max_length=200, blank=True)
    target_text = models.CharField(_("target as given by the source"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="programmes", verbose_name=_("target technologies")
    )
    opens_on = models.DateField(_("application opens"), null=True, blank=True)
    closes_on = models.DateField(_("application closes"), null=True, blank=True)
    period_text = models.CharField(_("application period as given by the source"), max_length=300, blank=True)
    rolling = models.BooleanField(_("rolling application (no fixed dates)"), default=False)
    amount_krw = models.BigIntegerField(_("amount (KRW)"), null=True, blank=True)
    amount_text = models.CharField(_("amount as given by the source"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_id = models.CharField(_("source identifier"), max_length=64, null=True, blank=True)
    source_created_at = models.DateTimeField(_("published at source"), null=True, blank=True)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True, editable=False)
    provenance = models.CharField(
        _("provenance"), max_length=300, blank=True, help_text=_("the file or API sync this record came from")
    )
    derived_by_collector = models.BooleanField(
        _("rebuilt by the data collector"),
        default=False,
        help_text=_("the collector rebuilt this record from the announcement's web page, not the API"),
    )
    # A digest of the source's record (collector bookkeeping and view counts left out): a later import
    # whose record has another digest is a change at the source; the same record parsed anew is not.
    source_hash = models.CharField(_("digest of the source record"), max_length=64, blank=True, editable=False)
    # When a later import changed what the source says (title, dates, rules ...): shown as "changed".
    changed_at = models.DateTimeField(_("changed at source"), null=True, blank=True, editable=False)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [models.Index(fields=["closes_on"]), models.Index(fields=["kind"]), models.Index(fields=["opens_on"])]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="support_programme_source_id")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:programme_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            raise ValidationError({"closes_on": _("the application window closes before it opens")})

    def edited_since_import(self) -> bool:
        """True when someone changed the programme on the hub after the last import (the importer
        then leaves it alone). Both stamps are written by the same save, a moment apart."""
        return bool(self.imported_at and self.updated_at and (self.updated_at - self.imported_at).total_seconds() > 2)


class EligibilityRule(models.Model):
    """One condition of a programme. Machine-checkable kinds carry parameters; text that could not
    be parsed is kept as a `manual` rule with its source text so nobody mistakes it for a pass."""

    class Kind(models.TextChoices):
        REGION = "region", _("region (Seoul or nationwide)")
        DISTRICT = "district", _("district (gu)")
        FIRM_AGE_MAX = "age_max", _("firm age at most (years)")
        FIRM_AGE_MIN = "age_min", _("firm age at least (years)")
        EMPLOYEES_MAX = "emp_max", _("employees at most")
        EMPLOYEES_MIN = "emp_min", _("employees at least")
        REVENUE_MAX = "rev_max", _("revenue at most (KRW)")
        REVENUE_MIN = "rev_min", _("revenue at least (KRW)")
        KSIC_SECTIONS = "ksic", _("KSIC sections")
        CERTIFICATIONS = "cert", _("certifications (any of)")
        STAGE = "stage", _("stage (any of)")
        MANUAL = "manual", _("check manually")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="rules", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"max": 7} for firm age, {"sections": ["J", "M"]} for KSIC'),
    )
    source_text = models.TextField(_("source text"), blank=True)

    class Meta:
        ordering = ["programme", "kind", "pk"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.params}"


class ProgrammeChange(models.Model):
    """What a later import or sync changed in an announcement (the source edited it)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="changes", verbose_name=_("programme")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    fields = models.JSONField(
        _("changed fields"),
        default=list,
        help_text=_('[{"field": "closes_on", "old": "2026-05-15", "new": "2026-05-22"}, ...]'),
    )
    sync_run = models.ForeignKey(
        "SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes", verbose_name=_("sync run")
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")

    def __str__(self) -> str:
        return f"{self.programme_id} @ {self.changed_at:%Y-%m-%d}: {', '.join(f['field'] for f in self.fields)}"


class SyncRun(models.Model):
    """One run of `seoulhub sync-programmes` (or the daily task) for one source: the operator's
    health page shows the last run, its counts and its errors."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("finished")
        PARTIAL = "partial", _("finished with rejected records")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=10, choices=Programme.Source.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    endpoint = models.CharField(
        _("endpoint"), max_length=500, blank=True, help_text=_("the address fetched, without the service key")
    )
    pages = models.PositiveIntegerField(_("pages fetched"), default=0)
    fetched = models.PositiveIntegerField(_("records fetched"), default=0)
    created = models.PositiveIntegerField(_("programmes created"), default=0)
    updated = models.PositiveIntegerField(_("programmes updated"), default=0)
    unchanged = models.PositiveIntegerField(_("programmes unchanged"), default=0)
    skipped = models.PositiveIntegerField(
        _("records skipped"), default=0, help_text=_("older than --since, or edited on the hub")
    )
    rejected = models.PositiveIntegerField(_("records rejected"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("one line per rejected record or failure (at most 100 kept)")
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("programme sync run")
        verbose_name_plural = _("programme sync runs")
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class PlanEntry(models.Model):
    """One programme of the yearly national plan, 「중앙부처 및 지자체 창업지원사업 통합공고」 of
    중소벤처기업부, as tabulated from the published notice (data/startup-support-integrated-notice)."""

    class Section(models.TextChoices):
        CENTRAL = "중앙부처", _("central ministries")
        LOCAL = "지방자치단체", _("local governments")

    year = models.PositiveSmallIntegerField(_("plan year"))
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    category = models.CharField(_("category"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number in its category"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    support = models.TextField(_("support"), blank=True)
    target = models.TextField(_("target"), blank=True)
    budget_100m_krw = models.DecimalField(
        _("budget (100 million KRW)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_recovered = models.BooleanField(
        _("budget moved back from a misaligned cell"),
        default=False,
        help_text=_("the table extraction had put the budget in the timing column"),
    )
    notice_timing = models.CharField(_("planned notice month as given"), max_length=100, blank=True)
    ministry_or_city = models.CharField(_("ministry or city (department) as given"), max_length=200, blank=True)
    owner = models.CharField(
        _("ministry or city"),
        max_length=100,
        blank=True,
        help_text=_("the ministry or city without its department, spaces of the extraction removed"),
    )
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="plan_entries",
        verbose_name=_("announcements implementing it"),
        help_text=_("matched by normalised title"),
    )

    class Meta:
        ordering = ["year", "section", "category", "number", "pk"]
        verbose_name = _("national plan entry")
        verbose_name_plural = _("national plan entries")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "section", "category", "number", "title"], name="support_plan_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class MembershipRequest(models.Model):
    """A signed-in person asks to act for a firm: one already in the registry (`firm`), or a new
    one (`new_name_ko`, `new_brn`, `new_district`) that is created only when the request is
    approved, so the registry never shows a firm nobody has checked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("requested by"),
    )
    firm = models.ForeignKey(
        Firm,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("firm"),
        help_text=_("empty for a firm not yet in the registry"),
    )
    new_name_ko = models.CharField(_("Korean name of the new firm"), max_length=200, blank=True)
    new_brn = models.CharField(_("business registration number of the new firm"), max_length=10, blank=True)
    new_district = models.ForeignKey(
        "taxonomy.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district of the new firm"),
    )
    message = models.TextField(_("message from the requester"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    role = models.CharField(_("role granted"), max_length=10, choices=FirmMember.MemberRole.choices, blank=True)
    note = models.TextField(_("note from the person who decided"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "firm"],
                condition=models.Q(status="pending"),
                name="support_one_pending_request_per_firm",
            ),
            models.UniqueConstraint(
                fields=["user", "new_brn"],
                condition=models.Q(status="pending", firm__isnull=True),
                name="support_one_pending_request_per_new_firm",
            ),
            models.CheckConstraint(
                condition=models.Q(firm__isnull=False) | ~models.Q(new_brn=""), name="support_request_names_a_firm"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.firm_name} ({self.status})"

    @property
    def is_new_firm(self) -> bool:
        return self.firm_id is None

    @property
    def firm_name(self) -> str:
        return self.firm.name if self.firm_id else self.new_name_ko

    @property
    def new_brn_display(self) -> str:
        return format_brn(self.new_brn) if self.new_brn else ""


class FirmChange(models.Model):
    """Append-only record of one field of a firm changed on the hub: who, when, old and new value
    (as text a person reads, e.g. the district's name). Written by the profile page, the full edit
    page, the API and the admin; shown on the firm's history tab to its members and operators."""

    class Via(models.TextChoices):
        PROFILE = "profile", _("firm profile page")
        EDIT = "edit", _("full edit page")
        API = "api", _("API")
        ADMIN = "admin", _("Django admin")
        MEMBERSHIP = "membership", _("membership approval")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="changes", verbose_name=_("firm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="firm_changes",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name at the time)"), max_length=150)
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    via = models.CharField(_("changed through"), max_length=12, choices=Via.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("firm change")
        verbose_name_plural = _("firm changes")
        indexes = [models.Index(fields=["firm", "-at"])]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.field} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Firm changes are append-only; they cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Firm changes are append-only; they cannot be deleted."))
