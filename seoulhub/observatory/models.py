"""Observatory: the digital-industry definition, imported industry statistics, the policy
portfolio by the study's three city roles, and KPIs (live from platform data or entered)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoulhub.core.i18n import localised


class DigitalSector(models.Model):
    """One sector of the digital industry, defined by KSIC rev. 10 code prefixes (editable)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("digital-industry sector")
        verbose_name_plural = _("digital-industry sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)

    def prefixes(self, revision: str = "10") -> list[str]:
        return [c.code for c in self.codes.all() if c.revision == revision]


class DigitalSectorCode(models.Model):
    """A KSIC code prefix that belongs to a sector. Rev. 10 codes are entered; rev. 9 codes are
    derived from them through the concordance (`derived=True`) and rebuilt on every change."""

    sector = models.ForeignKey(DigitalSector, on_delete=models.CASCADE, related_name="codes", verbose_name=_("sector"))
    revision = models.CharField(_("KSIC revision"), max_length=2, choices=[("9", "9"), ("10", "10")], default="10")
    code = models.CharField(_("KSIC code (prefix)"), max_length=5)
    derived = models.BooleanField(_("derived through the concordance"), default=False)

    class Meta:
        ordering = ["sector", "revision", "code"]
        verbose_name = _("sector KSIC code")
        verbose_name_plural = _("sector KSIC codes")
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="observatory_code_in_one_sector")]

    def __str__(self) -> str:
        return f"KSIC{self.revision} {self.code}"

    def clean(self) -> None:
        super().clean()
        if not self.code.isdigit() or not 2 <= len(self.code) <= 5:
            raise ValidationError({"code": _("a KSIC code prefix has 2 to 5 digits")})
        from seoulhub.taxonomy.models import KsicCode

        if not KsicCode.objects.filter(revision=self.revision, code=self.code).exists():
            raise ValidationError({"code": _("no such code in KSIC rev. %(rev)s") % {"rev": self.revision}})
        clash = DigitalSectorCode.objects.filter(revision=self.revision).exclude(pk=self.pk)
        for other in clash:
            if other.code.startswith(self.code) or self.code.startswith(other.code):
                raise ValidationError(
                    {"code": _("overlaps %(code)s of %(sector)s") % {"code": other.code, "sector": other.sector}}
                )


class StatImport(models.Model):
    """One run of `seoulhub import-industry-stats`, with its outcome and rejected rows."""

    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    layout = models.CharField(_("layout"), max_length=30)
    source = models.CharField(_("source"), max_length=300, blank=True)
    notes = models.TextField(_("caveats"), blank=True, help_text=_("limits of the source, shown with its figures"))
    rows_read = models.PositiveIntegerField(_("statistics read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    skipped = models.JSONField(_("skipped"), default=dict, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class IndustryStat(models.Model):
    """Establishments and workers in one district, one KSIC code (or all industries), one year."""

    TOTAL = "TOTAL"

    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "taxonomy.District", on_delete=models.PROTECT, related_name="industry_stats", verbose_name=_("district")
    )
    revision = models.CharField(_("KSIC revision"), max_length=2)
    ksic_code = models.CharField(_("KSIC code"), max_length=6, help_text=_("TOTAL = all industries"))
    ksic_name = models.CharField(_("industry name as given"), max_length=200, blank=True)
    establishments = models.PositiveIntegerField(_("establishments"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    workers_suppressed = models.BooleanField(
        _("workers suppressed"), default=False, help_text=_("not published: two or fewer establishments")
    )
    source_import = models.ForeignKey(
        StatImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="stats", verbose_name=_("import")
    )

    class Meta:
        ordering = ["year", "district", "revision", "ksic_code"]
        verbose_name = _("industry statistic")
        verbose_name_plural = _("industry statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district", "revision", "ksic_code"], name="observatory_one_stat_per_key"
            )
        ]
        indexes = [models.Index(fields=["year", "ksic_code"])]

    def __str__(self) -> str:
        return f"{self.year} {self.district} {self.ksic_code}"


class PolicyRole(models.Model):
    """A city role named in the study (서울시 디지털산업 육성방안): the portfolio's top level."""

    slug = models.SlugField(_("slug"), max_length=30, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60)
    description_ko = models.TextField(_("Korean description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("city role")
        verbose_name_plural = _("city roles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localised(self.description_ko, self.description_en)


class Policy(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("under way")
        ENDED = "ended", _("ended")
        UNKNOWN = "unknown", _("unknown")

    role = models.ForeignKey(
        PolicyRole,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("city role"),
        help_text=_("empty when the policy spans several roles"),
    )
    title_ko = models.CharField(_("Korean title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("the responsible organisation or office")
    )
    budget_krw = models.BigIntegerField(_("budget (KRW)"), null=True, blank=True)
    budget_note = models.CharField(_("budget as stated"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    period_note = models.CharField(_("period as stated"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    source = models.TextField(_("source"), help_text=_("where the facts about this policy are published"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role__order", "order", "title_ko"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [models.UniqueConstraint(fields=["title_ko"], name="observatory_policy_unique_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localised(self.title_ko, self.title_en)

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("the policy ends before it starts")})
        if not (self.source or "").strip():
            raise ValidationError({"source": _("every policy needs its published source")})


class KPI(models.Model):
    """A key performance indicator of a policy or of a role. `computation` names a function of
    the KPI registry (observatory/kpis.py) computed live from platform data; otherwise the value
    is entered by hand and must say where it comes from."""

    role = models.ForeignKey(
        PolicyRole, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("city role")
    )
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("policy")
    )
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    computation = models.CharField(
        _("live computation"),
        max_length=40,
        blank=True,
        help_text=_("a name from the KPI registry; empty for a value entered by hand"),
    )
    value = models.DecimalField(_("value (entered)"), max_digits=18, decimal_places=2, null=True, blank=True)
    value_as_of = models.DateField(_("value as of"), null=True, blank=True)
    as_of_text = models.CharField(
        _("as of (as published)"),
        max_length=20,
        blank=True,
        help_text=_("when the source gives only a month or a year, e.g. 2021-02"),
    )
    value_text = models.CharField(
        _("value as stated"),
        max_length=60,
        blank=True,
        help_text=_('when the source states it as text, e.g. two values "33 / 51"'),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2, null=True, blank=True)
    target_note = models.CharField(_("target as stated"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("required for values and targets entered by hand"))
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__isnull=False) | models.Q(policy__isnull=False),
                name="observatory_kpi_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)

    @property
    def is_live(self) -> bool:
        return bool(self.computation)

    def clean(self) -> None:
        super().clean()
        from .kpis import REGISTRY

        if self.role_id is None and self.policy_id is None:
            raise ValidationError(_("a KPI belongs to a policy or to a city role"))
        if self.computation and self.computation not in REGISTRY:
            raise ValidationError(
                {
                    "computation": _("unknown computation; choose one of: %(names)s")
                    % {"names": ", ".join(sorted(REGISTRY))}
                }
            )
        if self.computation and self.value is not None:
            raise ValidationError({"value": _("a live KPI is computed; leave the entered value empty")})
        if self.computation and self.value_text:
            raise ValidationError({"value_text": _("a live KPI is computed; leave the entered value empty")})
        entered = self.value is not None or self.target is not None or bool(self.value_text)
        if entered and not (self.source or "").strip():
            raise ValidationError({"source": _("say where an entered value or target comes from")})

    def get_absolute_url(self) -> str:
        return reverse("observatory:policies") + f"#kpi-{self.pk}"
