"""The firm's change history (FirmChange): take a snapshot of the audited fields before an edit,
compare after it, and write one row per field that changed, in the same transaction as the edit.

Values are kept as the text a person reads (the district's Korean name, technology slugs, the
stage code's label is left to the page), so the history stays readable after a district or a
technology is renamed or removed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Firm, FirmChange, FirmTechnology

# field -> label on the history page. Technologies: the tags the firm itself declared.
AUDITED_FIELDS = {
    "name_ko": _("Korean name"),
    "name_en": _("English name"),
    "brn": _("business registration number"),
    "district": _("district (gu)"),
    "address": _("address"),
    "ksic": _("KSIC code"),
    "technologies": _("technologies (declared)"),
    "founded_on": _("founded on"),
    "employees": _("employees"),
    "revenue_band": _("revenue band"),
    "stage": _("stage"),
    "certifications": _("certifications"),
    "website": _("website"),
    "products": _("main products"),
    "description": _("description"),
}


def _text(firm: Firm, field: str) -> str:
    if field == "district":
        return firm.district.name_ko if firm.district_id else ""
    if field == "ksic":
        return firm.ksic.code if firm.ksic_id else ""
    if field == "technologies":
        slugs = FirmTechnology.objects.filter(firm=firm, provenance=FirmTechnology.Provenance.DECLARED).values_list(
            "technology__slug", flat=True
        )
        return ", ".join(sorted(slugs))
    if field == "certifications":
        return ", ".join(sorted(firm.certifications or []))
    value = getattr(firm, field)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(firm: Firm) -> dict[str, str]:
    """The audited fields of the firm as stored now (read from the database, not the instance,
    which a bound form may already have changed)."""
    stored = Firm.objects.select_related("district", "ksic").get(pk=firm.pk)
    return {field: _text(stored, field) for field in AUDITED_FIELDS}


def record(firm: Firm, before: dict[str, str], user, via: str) -> list[FirmChange]:
    """One FirmChange per audited field whose stored value differs from `before`."""
    after = snapshot(firm)
    name = user.get_username() if user is not None and user.is_authenticated else ""
    actor = user if user is not None and user.is_authenticated else None
    rows = [
        FirmChange(
            firm=firm,
            actor=actor,
            actor_name=name,
            field=field,
            old_value=before[field],
            new_value=after[field],
            via=via,
        )
        for field in AUDITED_FIELDS
        if before.get(field, "") != after[field]
    ]
    for row in rows:
        row.save()
    return rows


def label(field: str) -> str:
    return str(AUDITED_FIELDS.get(field, field))
