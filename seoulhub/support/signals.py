"""Give the support data a new version (services.bump_data_version) on every write to firms,
programmes, eligibility rules, technologies and the technology tags of firms and programmes, so
the matcher and the cached dashboard parts follow edits made anywhere (pages, API, admin, tasks,
imports).

Writes that send no signal (QuerySet.update, bulk_create) must call bump_data_version themselves,
as loaders.load_bizinfo does for the rules it bulk-creates."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import CharField, TextField
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from seoulhub.core.params import has_controls, strip_controls

from .services import bump_data_version

logger = logging.getLogger("seoulhub.support")


def _bump_now() -> None:
    try:
        bump_data_version()
    except Exception:  # the cache is down: the write itself must still stand
        logger.exception("support: could not bump the data version")


def data_changed(sender, **kwargs) -> None:
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: only once the links have changed
    # Now: later reads on this connection (the rest of the request, and tests, which never commit)
    # see the change. After the commit as well: a request in between may have cached the old rows
    # under the new version; a second version leaves those behind.
    _bump_now()
    transaction.on_commit(bump_data_version, robust=True)


def strip_control_characters(sender, instance, raw=False, **kwargs) -> None:
    """A firm's text never keeps control characters (tab and line breaks stay): pasted from other
    programs they mean nothing on a page, and XML (the XLSX export) cannot hold most of them, so
    one of them made the public firm export fail. Here rather than in each form, so the API,
    the import and the admin are covered too."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, (CharField, TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and has_controls(value):
                setattr(instance, field.attname, strip_controls(value))


def connect() -> None:
    from seoulhub.taxonomy.models import Technology

    from .models import EligibilityRule, Firm, Programme

    for model in (Firm, Programme, EligibilityRule, Technology):  # technologies: names and parents
        label = model._meta.label
        post_save.connect(data_changed, sender=model, dispatch_uid=f"support-version-save-{label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"support-version-delete-{label}")
    pre_save.connect(strip_control_characters, sender=Firm, dispatch_uid="support-firm-controls")
    for model in (Firm, Programme):
        m2m_changed.connect(
            data_changed, sender=model.technologies.through, dispatch_uid=f"support-version-tags-{model._meta.label}"
        )
