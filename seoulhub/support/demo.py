"""Demo data: the real 기업마당 announcements (2024-12 .. 2026-07, with the 2020-21 set as an
archive), the K-Startup announcements of 2026, the national plan of 2024/2025 (창업지원사업
통합공고), the KRX listed firms in Seoul and a sample of 71 Seoul venture firms with their district.

Idempotent: rows are matched by (source, source id) / stock code / list row; embeddings and tags
are computed only for items that have none yet, in batches."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q

from .loaders import (
    BIZINFO_PATH,
    BIZINFO_RECENT_PATHS,
    data_path,
    load_bizinfo,
    load_krx_seoul,
    load_kstartup,
    load_plan,
    load_venture_sample,
)
from .models import Firm, FirmMember, Programme
from .services import enrich_firms, enrich_programmes

# The example account "firm" acts for one real listed firm so the dashboard shows real matches.
DEMO_FIRM_STOCK_CODE = "0007C0"  # 아크릴 (KRX KIND, 소프트웨어 개발 및 공급업)
ENRICH_BATCH = 256


def load(log) -> dict[str, int]:
    # Newest file first: an id in two files is taken from the newer one (upsert keeps the first).
    paths = [data_path(*p) for p in reversed(BIZINFO_RECENT_PATHS)] + [data_path(*BIZINFO_PATH)]
    counts = {f"bizinfo {k}": v for k, v in load_bizinfo(*paths).items()}
    counts.update({f"k-startup {k}": v for k, v in load_kstartup().items()})
    firm_counts, _changed = load_krx_seoul()
    counts.update({f"firms {k}": v for k, v in firm_counts.items()})
    venture_counts, _changed = load_venture_sample()
    counts.update({f"venture sample {k}": v for k, v in venture_counts.items()})
    counts.update(load_plan())
    firms = list(Firm.objects.filter(embedding__isnull=True).select_related("ksic"))
    programmes = list(Programme.objects.filter(embedding__isnull=True).order_by("pk"))
    if firms or programmes:
        log(f"support: embedding and tagging {len(firms)} firms and {len(programmes)} programmes")
    counts["firms enriched"] = enrich_firms(firms)
    counts["programmes enriched"] = 0
    for start in range(0, len(programmes), ENRICH_BATCH):
        counts["programmes enriched"] += enrich_programmes(programmes[start : start + ENRICH_BATCH])
    counts["example memberships created"] = 0
    if not settings.PRODUCTION:
        user = get_user_model().objects.filter(username="firm").first()
        firm = Firm.objects.filter(stock_code=DEMO_FIRM_STOCK_CODE).first()
        if user and firm:
            _member, created = FirmMember.objects.get_or_create(
                user=user, firm=firm, defaults={"role": FirmMember.MemberRole.ADMIN}
            )
            counts["example memberships created"] = int(created)
    return counts


def newest_programme_date() -> datetime.date | None:
    """The newest day the programme data speaks of: the latest application start or registration
    date that is not in the future of the data itself (a start date can be announced months ahead,
    so the latest of them is taken only up to the latest registration). load-demo pins the demo's
    reference date to (at most) this day."""
    registered = Programme.objects.aggregate(day=Max("source_created_at"))["day"]
    newest_registration = registered.date() if registered else None
    opens = Programme.objects.filter(opens_on__isnull=False)
    if newest_registration:
        opens = opens.filter(opens_on__lte=newest_registration)
    newest_start = opens.aggregate(day=Max("opens_on"))["day"]
    days = [d for d in (newest_registration, newest_start) if d]
    return max(days) if days else None


def open_count(day: datetime.date) -> int:
    return Programme.objects.open(day).count()


def recent_count(since_year: int = 2025) -> int:
    """Programmes registered, opening or closing in `since_year` or later (the demo's goal)."""
    start = datetime.date(since_year, 1, 1)
    return Programme.objects.filter(
        Q(source_created_at__date__gte=start) | Q(opens_on__gte=start) | Q(closes_on__gte=start)
    ).count()


def newest_real_date() -> datetime.date | None:
    """For load-demo's clock (seoulhub.core.demo): the programme data's newest day."""
    return newest_programme_date()
