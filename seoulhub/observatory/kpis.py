"""The KPI registry: named computations over live platform data.

Each computation reads other apps' models through `django.apps` so that this module imports
without them; when a model is missing (an app not installed yet) the KPI says so instead of
showing a number. Values are plain integers counted from rows, never estimates.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoulhub.core import clock


class Unavailable(Exception):
    """The data a computation needs does not exist on this installation."""


@dataclass(frozen=True)
class Computation:
    name: str
    label: str
    unit: str
    description: str
    role: str  # the city role it usually measures (slug)
    compute: Callable[[datetime.datetime], int]


@dataclass(frozen=True)
class KpiValue:
    value: int | float | None
    computed_at: datetime.datetime | None
    note: str = ""


logger = logging.getLogger(__name__)
REGISTRY: dict[str, Computation] = {}


def computation(name: str, label, unit, description, role: str):
    def register(function):
        REGISTRY[name] = Computation(name, label, unit, description, role, function)
        return function

    return register


def model(label: str):
    try:
        return apps.get_model(label)
    except LookupError as exc:
        raise Unavailable(f"{label} is not available on this installation") from exc


def field_names(model_class) -> set[str]:
    return {f.name for f in model_class._meta.get_fields()}


def recorded_by(moment: datetime.datetime) -> datetime.datetime:
    """The bookkeeping time (created_at, audit entries, fetch times: the real clock) that
    corresponds to a moment of the hub's clock. In the demo the hub's clock is pinned to a
    reference date, so rows recorded today belong to the reference date, not to a future one."""
    return moment + (timezone.localdate() - clock.today())


def compute(name: str, now: datetime.datetime | None = None) -> KpiValue:
    """A computation's value at `now` (the hub's clock; default: the present)."""
    now = now or clock.now()
    entry = REGISTRY.get(name)
    if entry is None:
        return KpiValue(None, None, f"unknown computation {name!r}")
    try:
        return KpiValue(entry.compute(now), now)
    except Unavailable as exc:
        return KpiValue(None, None, str(exc))
    except Exception as exc:  # one broken computation must not take the dashboard down
        logger.exception("KPI computation %s failed", name)
        return KpiValue(None, None, f"could not be computed ({type(exc).__name__})")


def start_of_week(now: datetime.datetime) -> datetime.datetime:
    """Monday 00:00 of the current week in Seoul time."""
    local = timezone.localtime(now)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min), timezone.get_current_timezone())


@computation(
    "firms_registered",
    _("Firms in the registry"),
    _("firms"),
    _("every firm in the hub's firm registry"),
    "accelerator",
)
def firms_registered(now):
    return model("support.Firm").objects.filter(created_at__lte=recorded_by(now)).count()


@computation(
    "programmes_open",
    _("Support programmes open for application"),
    _("programmes"),
    _("programmes whose application window includes today"),
    "accelerator",
)
def programmes_open(now):
    from django.db.models import Q

    today = timezone.localtime(now).date()
    Programme = model("support.Programme")
    return Programme.objects.filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today), closes_on__gte=today).count()


@computation(
    "active_sources",
    _("Active radar sources"),
    _("sources"),
    _("radar sources switched on, not paused, and fetched successfully in the last 7 days"),
    "pre-adopter",
)
def active_sources(now):
    Source = model("radar.Source")
    now = recorded_by(now)
    return Source.objects.filter(
        active=True,
        paused_at__isnull=True,
        last_success_at__gt=now - datetime.timedelta(days=7),
        last_success_at__lte=now,
    ).count()


@computation(
    "items_delivered_this_week",
    _("Radar items delivered this week"),
    _("items"),
    _("items sent in digests (e-mail and webhook) since Monday 00:00 (Seoul time)"),
    "pre-adopter",
)
def items_delivered_this_week(now):
    from django.db.models import Sum

    Delivery = model("alerts.Delivery")
    now = recorded_by(now)
    total = Delivery.objects.filter(status="sent", sent_at__gte=start_of_week(now), sent_at__lte=now).aggregate(
        n=Sum("item_count")
    )["n"]
    return int(total or 0)


@computation(
    "firms_with_matched_programme",
    _("Firms with a matched programme"),
    _("firms"),
    _("firms eligible, by every machine-checkable rule, for at least one programme open today"),
    "accelerator",
)
def firms_with_matched_programme(now):
    model("support.Programme")
    from seoulhub.support.services import current_matcher

    matcher = current_matcher()
    if not matcher.programmes or not matcher.firms:
        return 0
    statuses = matcher.eligibility_matrix()  # programmes x firms, 0 = eligible
    open_rows = [j for j, programme in enumerate(matcher.programmes) if programme.is_open]
    if not open_rows:
        return 0
    return int(((statuses[open_rows] == 0).any(axis=0)).sum())


@computation(
    "pilots_started",
    _("Pilots started"),
    _("pilots"),
    _("proposals moved to 'running' in the pilots' audit trail (examples excluded)"),
    "synthesizer",
)
def pilots_started(now):
    AuditEntry = model("pilots.AuditEntry")
    return (
        AuditEntry.objects.filter(
            to_state="running", at__lte=recorded_by(now), proposal__is_example=False, proposal__demand__is_example=False
        )
        .values("proposal")
        .distinct()
        .count()
    )


@computation(
    "certificates_issued",
    _("Pilot certificates issued"),
    _("certificates"),
    _("pilot certificates with a number and an issue date (examples excluded)"),
    "synthesizer",
)
def certificates_issued(now):
    Proposal = model("pilots.Proposal")
    return (
        Proposal.objects.exclude(certificate_number="")
        .filter(certificate_issued_on__lte=timezone.localtime(now).date(), is_example=False, demand__is_example=False)
        .count()
    )
