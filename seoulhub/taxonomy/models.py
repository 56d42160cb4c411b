from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seoulhub.core.i18n import localised


class Technology(models.Model):
    """A node of the technology taxonomy that tags articles, firms, programmes and demands."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    aliases_ko = models.JSONField(_("Korean aliases"), default=list, blank=True)
    aliases_en = models.JSONField(_("English aliases"), default=list, blank=True)
    arxiv_categories = models.JSONField(_("arXiv categories"), default=list, blank=True)
    ksic_codes = models.JSONField(_("KSIC codes"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:detail", args=[self.slug])

    def all_aliases(self) -> list[str]:
        """Every surface form that names this technology, names included, without repeats."""
        seen: dict[str, None] = {}
        for term in [self.name_ko, self.name_en, *self.aliases_ko, *self.aliases_en]:
            if term and term.casefold() not in {s.casefold() for s in seen}:
                seen[term] = None
        return list(seen)


class KsicCode(models.Model):
    """A code of the Korean Standard Industrial Classification (revision 9 or 10)."""

    class Revision(models.TextChoices):
        KSIC9 = "9", _("KSIC rev. 9")
        KSIC10 = "10", _("KSIC rev. 10")

    revision = models.CharField(_("revision"), max_length=2, choices=Revision.choices)
    code = models.CharField(_("code"), max_length=6)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"))  # 1 = section letter .. 5 = sub-class
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        ordering = ["revision", "code"]
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="ksic_unique_code_per_revision")]
        verbose_name = _("KSIC code")
        verbose_name_plural = _("KSIC codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def section(self) -> str:
        """The section letter (A..U) this code belongs to."""
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node.code


class District(models.Model):
    """One of Seoul's 25 autonomous districts (gu). Two code schemes are in use: the
    administrative code (행정표준코드, e.g. 11680 = 강남구) and the KOSTAT census code
    (e.g. 11230 = 강남구); both are kept so statistics in either scheme can be joined."""

    adm_code = models.CharField(_("administrative code"), max_length=5, unique=True)
    kostat_code = models.CharField(_("KOSTAT census code"), max_length=5, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=20, unique=True)
    name_en = models.CharField(_("English name"), max_length=40)

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_ko, self.name_en)
