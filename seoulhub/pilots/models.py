"""Pilots (synthesizer): city demands, firm solutions and references, proposals by firms or
consortia, reviews with conflict-of-interest declarations, the pilot lifecycle and its audit log.

A proposal that is selected *is* the pilot: milestones, KPIs, the evaluation and the certificate
hang off the proposal, so the whole history of one pilot is one row plus its audit entries."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from seoulhub.core import clock

from . import lifecycle as lc


class DemandQuerySet(models.QuerySet):
    def real(self):
        """Demands that are not examples: the only ones any count (KPIs, analytics, reports) may use."""
        return self.filter(is_example=False)

    def open(self, on=None):
        """Demands taking proposals on `on` (clock.today() by default), in the database; `Demand.is_open`
        says the same of one demand in memory."""
        on = on or clock.today()
        return self.filter(
            models.Q(opens_on__isnull=True) | models.Q(opens_on__lte=on),
            models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=on),
            status=Demand.Status.OPEN,
        )


class Demand(models.Model):
    """A need the city posts (demand-led track) or an open call where firms propose anything."""

    class Kind(models.TextChoices):
        DEMAND = "demand", _("city demand")
        OPEN_CALL = "open_call", _("open call")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for proposals")
        CLOSED = "closed", _("closed")

    kind = models.CharField(pgettext_lazy("pilots", "kind"), max_length=10, choices=Kind.choices, default=Kind.DEMAND)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem to solve"))
    place = models.CharField(_("place / testbed site"), max_length=200, blank=True)
    district = models.ForeignKey(
        "taxonomy.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
        verbose_name=_("district (gu)"),
    )
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="demands", verbose_name=_("required technologies")
    )
    budget_krw = models.BigIntegerField(_("budget (KRW)"), null=True, blank=True, validators=[MinValueValidator(0)])
    opens_on = models.DateField(_("proposals open"), null=True, blank=True)
    closes_on = models.DateField(_("proposals close"), null=True, blank=True)
    pilot_starts_on = models.DateField(_("pilot starts"), null=True, blank=True)
    pilot_ends_on = models.DateField(_("pilot ends"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="posted_demands",
        verbose_name=_("posted by"),
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("an illustration, not a real call of the city")
    )
    source_note = models.TextField(_("source / programme context"), blank=True)
    source_url = models.URLField(
        _("source link"),
        max_length=500,
        blank=True,
        help_text=_("where a real demand was published (e.g. the city's call)"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [models.Index(fields=["status", "closes_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:demand_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            raise ValidationError({"closes_on": _("proposals close before they open")})
        if self.pilot_starts_on and self.pilot_ends_on and self.pilot_starts_on > self.pilot_ends_on:
            raise ValidationError({"pilot_ends_on": _("the pilot ends before it starts")})

    def is_open(self, on=None) -> bool:
        on = on or clock.today()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_on and on < self.opens_on:
            return False
        return self.closes_on is None or on <= self.closes_on


class Criterion(models.Model):
    """One evaluation criterion of a demand; reviewers score each from 0 to 5, weighted."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("demand"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), default=25, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["demand", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [models.UniqueConstraint(fields=["demand", "name"], name="pilots_criterion_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Solution(models.Model):
    """What a firm offers: technologies, technology readiness level (TRL 1-9)."""

    firm = models.ForeignKey("support.Firm", on_delete=models.CASCADE, related_name="solutions", verbose_name=_("firm"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="solutions", verbose_name=_("technologies")
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (1-9)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["firm", "title"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self) -> str:
        return self.title


class Reference(models.Model):
    """A past project of a firm (who for, when, which technologies) that backs its claims.
    Certified non-example pilots on the hub count as references too (see matchmaking)."""

    firm = models.ForeignKey(
        "support.Firm", on_delete=models.CASCADE, related_name="pilot_references", verbose_name=_("firm")
    )
    title = models.CharField(_("project"), max_length=200)
    client = models.CharField(_("client"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="references", verbose_name=_("technologies")
    )
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["firm", "-year", "title"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return self.title


class ProposalQuerySet(models.QuerySet):
    def real(self):
        """Proposals that are neither examples nor answers to an example demand: the only ones
        KPIs, pilot analytics and the monthly report may count."""
        return self.filter(is_example=False, demand__is_example=False)


class Proposal(models.Model):
    """A firm's (or consortium's) answer to a demand; once selected it is the pilot."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        PARTIAL = "partial", _("partly successful")
        FAILURE = "failure", _("not successful")

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("demand"))
    lead_firm = models.ForeignKey(
        "support.Firm", on_delete=models.PROTECT, related_name="led_proposals", verbose_name=_("lead firm")
    )
    partners = models.ManyToManyField(
        "support.Firm", blank=True, related_name="partner_proposals", verbose_name=_("partner firms")
    )
    solution = models.ForeignKey(
        Solution, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals", verbose_name=_("solution")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="proposals", verbose_name=_("technologies used")
    )
    requested_krw = models.BigIntegerField(
        _("requested budget (KRW)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    state = models.CharField(_("state"), max_length=20, default=lc.DRAFT, choices=[(s, s) for s in lc.STATES])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="pilot_proposals",
        verbose_name=_("created by"),
    )
    is_example = models.BooleanField(_("example"), default=False)
    outcome = models.CharField(_("evaluation outcome"), max_length=10, choices=Outcome.choices, blank=True)
    evaluation = models.TextField(_("evaluation summary"), blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    # Printed on the certificate; anyone holding the paper checks it at /pilots/verify/<code>/.
    # Random (80 bits), so a certificate cannot be confirmed by guessing or counting numbers.
    certificate_code = models.CharField(_("verification code"), max_length=24, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="pilots_certificate_number_unique",
            ),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~models.Q(certificate_code=""),
                name="pilots_certificate_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:proposal_detail", args=[self.pk])

    @property
    def is_pilot(self) -> bool:
        return self.state in lc.PILOT_STATES

    def firms(self) -> list:
        return [self.lead_firm, *self.partners.all()]

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number and self.certificate_code)

    def get_certificate_url(self) -> str:
        return reverse("pilots:certificate", args=[self.pk])

    def get_verification_url(self) -> str:
        return reverse("pilots:verify_code", args=[self.certificate_code])


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("pilot"))
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Kpi(models.Model):
    """A key performance indicator of a pilot: target agreed at the start, actual at evaluation."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("pilot"))
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target = models.FloatField(_("target"))
    actual = models.FloatField(_("actual"), null=True, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = pgettext_lazy("pilots", "KPI")
        verbose_name_plural = pgettext_lazy("pilots", "KPIs")

    def __str__(self) -> str:
        return self.name

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.target if self.higher_is_better else self.actual <= self.target


class ConflictDeclaration(models.Model):
    """A reviewer's declaration for one proposal, required before scoring. A declared conflict
    bars the reviewer from scoring that proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="conflict_declarations", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
        verbose_name=_("reviewer"),
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    statement = models.TextField(_("statement"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="pilots_one_declaration")]


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_reviews", verbose_name=_("reviewer")
    )
    comment = models.TextField(_("comment"), blank=True)
    total = models.FloatField(_("weighted score (0-100)"))
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["proposal", "submitted_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="pilots_one_review")]


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(5)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="pilots_one_score")]


class AuditEntry(models.Model):
    """Append-only record of every lifecycle transition: who, when, from, to, note."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="audit_entries", verbose_name=_("proposal")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="pilot_audit_entries",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name at the time)"), max_length=150)
    capacity = models.CharField(_("acting as"), max_length=40)
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    note = models.TextField(pgettext_lazy("pilots", "note"), blank=True)

    class Meta:
        ordering = ["proposal", "at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit entries are append-only; they cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit entries are append-only; they cannot be deleted."))


class PastPilot(models.Model):
    """A real pilot of Seoul's testbed programmes, as published (the programme's track record).

    Loaded from data/seoul-innovation-facts (facts read from Seoul press releases and news
    reports, each with its link). The firm is the name the source prints, as text: many of these
    firms are not in the hub's registry, and no registry row is made up for them."""

    programme = models.CharField(_("programme"), max_length=100)
    period = models.CharField(_("year(s) as published"), max_length=60)
    year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, help_text=_("for sorting; empty when the source gives no year")
    )
    firm_name = models.CharField(_("firm (as named by the source)"), max_length=100, blank=True)
    technology = models.CharField(_("technology (as published)"), max_length=200)
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="past_pilots", verbose_name=_("technologies (taxonomy)")
    )
    site = models.CharField(_("pilot site"), max_length=200, blank=True)
    outcome = models.CharField(_("status or outcome"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500)
    note = models.CharField(pgettext_lazy("pilots", "note"), max_length=200, blank=True)

    class Meta:
        ordering = [models.F("year").desc(nulls_last=True), "programme", "pk"]
        verbose_name = _("past pilot")
        verbose_name_plural = _("past pilots")
        constraints = [
            models.UniqueConstraint(fields=["programme", "firm_name", "technology"], name="pilots_past_pilot_unique")
        ]

    def __str__(self) -> str:
        return self.technology
