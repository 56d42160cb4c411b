"""The policy portfolio with KPI values: live ones computed through the registry, entered ones
with their source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from seoulhub.core import clock

from .kpis import REGISTRY, compute
from .models import KPI, Policy, PolicyRole


@dataclass
class KpiRow:
    kpi: KPI
    value: float | int | None
    as_of: datetime.date | datetime.datetime | None
    live: bool
    note: str
    source: str

    @property
    def progress(self) -> float | None:
        if self.value is None or not self.kpi.target:
            return None
        return float(self.value) / float(self.kpi.target)

    def as_dict(self) -> dict:
        return {
            "id": self.kpi.pk,
            "name_ko": self.kpi.name_ko,
            "name_en": self.kpi.name_en,
            "unit": self.kpi.unit,
            "live": self.live,
            "computation": self.kpi.computation or None,
            "value": None if self.value is None else float(self.value),
            "as_of": self.as_of.isoformat() if self.as_of else (self.kpi.as_of_text or None),
            "target": None if self.kpi.target is None else float(self.kpi.target),
            "target_note": self.kpi.target_note,
            "progress": self.progress,
            "value_text": self.kpi.value_text,
            "source": self.source,
            "source_url": self.kpi.source_url,
            "note": self.note or self.kpi.note,
        }


def evaluate(kpi: KPI, now: datetime.datetime | None = None) -> KpiRow:
    if kpi.computation:
        result = compute(kpi.computation, now)
        entry = REGISTRY.get(kpi.computation)
        source = _("Seoul Digital Hub live data: %(what)s") % {"what": entry.description} if entry else ""
        return KpiRow(kpi, result.value, result.computed_at, True, result.note, source)
    reported = kpi.value is not None or bool(kpi.value_text)
    return KpiRow(kpi, kpi.value, kpi.value_as_of, False, "" if reported else _("no value reported"), kpi.source)


def portfolio(now: datetime.datetime | None = None) -> list[dict]:
    """Roles in order, each with its own KPIs and its policies (with KPIs), then the policies
    assigned to no role."""
    now = now or clock.now()
    kpis = Prefetch("kpis", queryset=KPI.objects.order_by("order", "pk"))
    policies = Policy.objects.prefetch_related(kpis).select_related("role")
    groups = []
    for role in PolicyRole.objects.prefetch_related(kpis):
        groups.append(
            {
                "role": role,
                "kpis": [evaluate(k, now) for k in role.kpis.all()],
                "policies": [
                    {"policy": p, "kpis": [evaluate(k, now) for k in p.kpis.all()]}
                    for p in policies
                    if p.role_id == role.pk
                ],
            }
        )
    unassigned = [
        {"policy": p, "kpis": [evaluate(k, now) for k in p.kpis.all()]} for p in policies if p.role_id is None
    ]
    if unassigned:
        groups.append({"role": None, "kpis": [], "policies": unassigned})
    return groups


def policy_dict(policy: Policy, now: datetime.datetime | None = None) -> dict:
    return {
        "id": policy.pk,
        "role": policy.role.slug if policy.role_id else None,
        "title_ko": policy.title_ko,
        "title_en": policy.title_en,
        "summary": policy.summary,
        "owner": policy.owner,
        "budget_krw": policy.budget_krw,
        "budget_note": policy.budget_note,
        "starts_on": policy.starts_on,
        "ends_on": policy.ends_on,
        "status": policy.status,
        "source": policy.source,
        "kpis": [evaluate(k, now).as_dict() for k in policy.kpis.all()],
    }
