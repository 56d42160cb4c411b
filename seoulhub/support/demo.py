"""Demo data: the real 기업마당 announcements (2020-21) and the KRX listed firms in Seoul.
Idempotent: rows are matched by source id / stock code; embeddings and tags are computed only
for items that have none yet."""

from django.conf import settings
from django.contrib.auth import get_user_model

from .loaders import load_bizinfo, load_krx_seoul
from .models import Firm, FirmMember, Programme
from .services import enrich_firms, enrich_programmes

# The example account "firm" acts for one real listed firm so the dashboard shows real matches.
DEMO_FIRM_STOCK_CODE = "0007C0"  # 아크릴 (KRX KIND, 소프트웨어 개발 및 공급업)


def load(log) -> dict[str, int]:
    counts = load_bizinfo()
    firm_counts, _changed = load_krx_seoul()
    counts.update({f"firms {k}": v for k, v in firm_counts.items()})
    firms = list(Firm.objects.filter(embedding__isnull=True).select_related("ksic"))
    programmes = list(Programme.objects.filter(embedding__isnull=True))
    if firms or programmes:
        log(f"support: embedding and tagging {len(firms)} firms and {len(programmes)} programmes")
    counts["firms enriched"] = enrich_firms(firms)
    counts["programmes enriched"] = enrich_programmes(programmes)
    counts["example memberships created"] = 0
    if not settings.PRODUCTION:
        user = get_user_model().objects.filter(username="firm").first()
        firm = Firm.objects.filter(stock_code=DEMO_FIRM_STOCK_CODE).first()
        if user and firm:
            _member, created = FirmMember.objects.get_or_create(
                user=user, firm=firm, defaults={"role": FirmMember.MemberRole.ADMIN})
            counts["example memberships created"] = int(created)
    return counts
