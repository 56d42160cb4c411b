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
