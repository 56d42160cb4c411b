"""Keep Seoul's figures current as firms, programmes, demands and pilots change.

Handlers only note which technologies were touched; one recount per transaction runs after it
commits (an import of 10,000 firms in one transaction recounts once, not 10,000 times). The
recount is robust: if it fails, the write that caused it still stands, the error is logged and
the next `seoulhub refresh-landscape` repairs the figures."""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

logger = logging.getLogger("seoulhub.landscape")
_pending = threading.local()


def _flush() -> None:
    ids, everything, pilots = _pending.ids, _pending.all, _pending.pilots
    if not ids and not everything:
        return  # an earlier callback of the same transaction did the work
    _pending.ids, _pending.all, _pending.pilots = set(), False, False
    from .local import refresh_local, refresh_pilot_pairs

    refresh_local(None if everything else ids)
    if pilots:
        refresh_pilot_pairs()


def touch(tech_ids=None, pilots: bool = False) -> None:
    """Recount these technologies (all when None) once the current transaction commits."""
    if not hasattr(_pending, "ids"):
        _pending.ids, _pending.all, _pending.pilots = set(), False, False
    if tech_ids is None:
        _pending.all = True
    else:
        _pending.ids.update(tech_ids)
    _pending.pilots = _pending.pilots or pilots
    # One callback per touch: the first to run does the work, the rest find nothing pending.
    # (Registering only once would lose the callback when that transaction rolls back.)
    transaction.on_commit(_flush, robust=True)


def _techs_of(instance) -> list[int]:
    if instance.pk is None:
        return []
    return list(instance.technologies.values_list("pk", flat=True))


def connect() -> None:
    from seoulhub.pilots.models import Demand, Proposal
    from seoulhub.support.models import Firm, Programme

    def on_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
            return
        if reverse:  # technology.firms.add(...): the technology is the instance
            touch([instance.pk], pilots=True)
        elif action == "pre_clear":
            touch(_techs_of(instance), pilots=sender in (Demand.technologies.through, Proposal.technologies.through))
        elif pk_set:
            touch(pk_set, pilots=sender in (Demand.technologies.through, Proposal.technologies.through))

    def on_row_changed(sender, instance, **kwargs):
        # District, dates, status or state may have changed: recount the row's technologies.
        # Demands and pilots lend technologies to each other, and are few: recount them all.
        if sender in (Demand, Proposal):
            touch(None, pilots=True)
        else:
            touch(_techs_of(instance))

    for model in (Firm, Programme, Demand, Proposal):
        m2m_changed.connect(
            on_links_changed, sender=model.technologies.through, dispatch_uid=f"landscape-m2m-{model._meta.label}"
        )
        post_save.connect(on_row_changed, sender=model, dispatch_uid=f"landscape-save-{model._meta.label}")
        # Links vanish with the row, so read them before it goes.
        pre_delete.connect(on_row_changed, sender=model, dispatch_uid=f"landscape-delete-{model._meta.label}")
