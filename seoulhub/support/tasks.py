"""Background jobs: recompute a firm's or programme's technology tags and text embedding after an
edit. Each takes an id, works in one transaction and is safe to run twice."""

from django.db import transaction
from django_tasks import task

from .models import Firm, Programme
from .services import enrich_firms, enrich_programmes


@task()
def enrich_firm(firm_id: int) -> bool:
    with transaction.atomic():
        firm = Firm.objects.select_for_update(of=("self",)).select_related("ksic").filter(pk=firm_id).first()
        if firm is None:
            return False
        enrich_firms([firm])
    return True


@task()
def enrich_programme(programme_id: int) -> bool:
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(pk=programme_id).first()
        if programme is None:
            return False
        enrich_programmes([programme])
    return True


@task()
def sync_programmes(source: str, since: str | None = None) -> dict:
    """Sync one source's announcements (programme_sync.sync_source). Safe to re-run: upserts."""
    import datetime

    from .programme_sync import sync_source

    run = sync_source(source, since=datetime.date.fromisoformat(since) if since else None)
    return {"run": run.pk, "status": run.status, "created": run.created, "updated": run.updated}


@task()
def sync_all_programmes() -> list[str]:
    """The daily job: queue a sync of every source whose key is set (SEOULHUB_BIZINFO_KEY,
    SEOULHUB_KSTARTUP_KEY)."""
    from .programme_sync import configured_sources

    names = configured_sources()
    for name in names:
        sync_programmes.enqueue(name)
    return names


@task()
def send_membership_mail(request_id: int, event: str) -> int:
    """Mail a membership request (`requested`) or its decision (`decided`); see membership.py."""
    from .membership import send_mail_for

    return send_mail_for(request_id, event)
