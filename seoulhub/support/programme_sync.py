"""Keep the programme catalogue current: fetch the 기업마당 and K-Startup APIs page by page through
the radar's safe fetcher and upsert every announcement on (source, source id).

- 기업마당 `bizinfoApi.do?crtfcKey=KEY&dataType=json&searchCnt=N&pageIndex=P` answers
  `{"jsonArray": [...]}` with no total: pages are read until one comes back short or empty.
- K-Startup on 공공데이터포털 (`B552735/kisedKstartupService01/getAnnouncementInformation01?
  serviceKey=KEY&page=P&perPage=N&returnType=json`) answers the portal's envelope
  `{"page", "perPage", "totalCount", "currentCount", "matchCount", "data": [...]}`: pages are read
  until page x perPage reaches totalCount (or a page is empty).

Each run is a SyncRun row (counts, errors) for the operator's health page. The service key is never
stored or shown: the endpoint is kept without it and error messages have it masked.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit, parse_qsl

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seoulhub.radar.ingest.fetch import FetchError

from .loaders import (
    UpsertReport,
    division_sections,
    link_plan_to_programmes,
    parse_bizinfo_records,
    parse_kstartup_records,
    upsert_programmes,
)
from .models import Programme, SyncRun

BIZINFO_URL = "https://www.bizinfo.go.kr/uss/rss/bizinfoApi.do"
KSTARTUP_URL = "https://apis.data.go.kr/B552735/kisedKstartupService01/getAnnouncementInformation01"
PAGE_SIZE = 100
MAX_PAGES = 200  # 20,000 announcements: far above either API's open set; stops a server that never ends
ENRICH_BATCH = 64


class SyncFailed(Exception):
    """The source could not be read; str() says why in words (the key masked)."""


@dataclass(frozen=True)
class SourceConfig:
    source: str
    url: str
    key_setting: str
    key_param: str


SOURCES = {
    "bizinfo": SourceConfig(Programme.Source.BIZINFO, BIZINFO_URL, "SEOULHUB_BIZINFO_KEY", "crtfcKey"),
    "kstartup": SourceConfig(Programme.Source.KSTARTUP, KSTARTUP_URL, "SEOULHUB_KSTARTUP_KEY", "serviceKey"),
}


def configured_key(name: str) -> str:
    config = SOURCES[name]
    return getattr(settings, config.key_setting, None) or os.environ.get(config.key_setting, "")


def configured_sources() -> list[str]:
    """The sources whose service key is set (the daily task syncs those)."""
    return [name for name in SOURCES if configured_key(name)]


def _page_url(base: str, params: dict) -> str:
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items() if v not in (None, "")})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _mask(text: str, key: str) -> str:
    if not key:
        return text
    from urllib.parse import quote, quote_plus

    for form in {key, quote(key, safe=""), quote_plus(key)}:
        text = text.replace(form, "***")
    return text


def _record_day(record: dict, source: str) -> datetime.date | None:
    """The date --since compares: bizinfo's registration/update time (or feed date); K-Startup's
    closing date (it gives no registration date, so "since" means "still open on or after")."""
    if not isinstance(record, dict):
        return None
    if source == Programme.Source.KSTARTUP:
        keys = ("pbanc_rcpt_end_dt", "pbanc_rcpt_bgng_dt")
    else:
        keys = ("updtPnttm", "creatPnttm", "pubDate_rss")
    days = []
    for key in keys:
        text = str(record.get(key) or "").replace("-", "")[:8]
        if len(text) == 8 and text.isdigit():
            try:
                days.append(datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])))
            except ValueError:
                continue
    return max(days) if days else None


def _decode(content: bytes, url: str, key: str) -> dict:
    try:
        body = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        snippet = content[:200].decode("utf-8", "replace").strip()
        raise SyncFailed(
            _mask(f"{url} did not answer with JSON (it began: {snippet!r}); check the key and the address", key)
        ) from None
    if not isinstance(body, dict):
        raise SyncFailed(_mask(f"{url} answered JSON that is not an object", key))
    return body


def fetch_pages(
    name: str,
    base_url: str,
    key: str,
    page_size: int = PAGE_SIZE,
    max_pages: int = MAX_PAGES,
    since: datetime.date | None = None,
):
    """Yield (page number, records) until the source has no more. Raises SyncFailed."""
    from seoulhub.radar.tasks import fetcher

    config = SOURCES[name]
    seen_first_ids: set = set()
    for page in range(1, max_pages + 1):
        if name == "bizinfo":
            params = {config.key_param: key, "dataType": "json", "searchCnt": page_size, "pageIndex": page}
        else:
            params = {config.key_param: key, "page": page, "perPage": page_size, "returnType": "json"}
        url = _page_url(base_url, params)
        try:
            result = fetcher().fetch(url)
        except FetchError as exc:
            raise SyncFailed(_mask(str(exc), key)) from None
        body = _decode(result.content, _mask(url, key), key)
        records = body.get("jsonArray") if name == "bizinfo" else body.get("data")
        if records is None:
            message = body.get("msg") or body.get("message") or body.get("resultMsg") or ", ".join(sorted(body))[:200]
            raise SyncFailed(
                _mask(
                    f"page {page} of {base_url} has no "
                    f"{'jsonArray' if name == 'bizinfo' else 'data'} list (the answer says: {message})",
                    key,
                )
            )
        if not isinstance(records, list):
            raise SyncFailed(f"page {page} of {base_url}: the record list is not a list")
        if not records:
            return
        first = json.dumps(records[0], sort_keys=True, ensure_ascii=False)[:500]
        if first in seen_first_ids:
            return  # the server ignores the page number and repeats itself
        seen_first_ids.add(first)
        yield page, records
        if name == "kstartup":
            total = body.get("totalCount")
            if isinstance(total, int) and page * int(body.get("perPage") or page_size) >= total:
                return
        if len(records) < page_size:
            return
        if since and name == "bizinfo":
            days = [_record_day(r, Programme.Source.BIZINFO) for r in records]
            if days and all(d is not None and d < since for d in days):
                return  # newest first: the rest is older still


def sync_source(
    name: str,
    *,
    url: str | None = None,
    key: str | None = None,
    since: datetime.date | None = None,
    page_size: int = PAGE_SIZE,
    enrich: bool = True,
) -> SyncRun:
    """Fetch every page of one source and upsert its announcements; returns the finished SyncRun."""
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}: use bizinfo or kstartup")
    config = SOURCES[name]
    key = key if key is not None else configured_key(name)
    base = url or config.url
    run = SyncRun.objects.create(source=config.source, endpoint=_mask(base, key)[:500])
    report = UpsertReport()
    sections = division_sections() if name == "bizinfo" else {}
    failure = ""
    try:
        for page, records in fetch_pages(name, base, key, page_size=page_size, since=since):
            run.pages = page
            run.fetched += len(records)
            kept = [r for r in records if not since or (_record_day(r, config.source) or since) >= since]
            run.skipped += len(records) - len(kept)
            parsed = parse_bizinfo_records(kept, sections) if name == "bizinfo" else parse_kstartup_records(kept)
            label = f"{name} API {timezone.now():%Y-%m-%d}"
            upsert_programmes(
                ((f"page {page} {where}", item, label) for where, item in parsed),
                config.source,
                sync_run=run,
                report=report,
            )
    except SyncFailed as exc:
        failure = str(exc)
    counts = report.counts
    run.created, run.updated = counts["programmes created"], counts["programmes updated"]
    run.unchanged = counts["programmes unchanged"]
    run.skipped += counts["programmes kept as edited on the hub"]
    run.rejected = counts["records rejected"]
    run.errors = ([failure] if failure else []) + report.errors
    run.status = SyncRun.Status.FAILED if failure else SyncRun.Status.PARTIAL if run.rejected else SyncRun.Status.OK
    run.finished_at = timezone.now()
    run.save()
    if run.created or run.updated:
        link_plan_to_programmes()
        if enrich:
            enrich_pending()
    return run


def enrich_pending(batch: int = ENRICH_BATCH) -> int:
    """Embed and tag programmes that have no embedding yet (new or re-worded), a batch per transaction."""
    from .services import enrich_programmes

    done = 0
    while True:
        with transaction.atomic():
            programmes = list(Programme.objects.filter(embedding__isnull=True).order_by("pk")[:batch])
            if not programmes:
                return done
            done += enrich_programmes(programmes)


def last_runs() -> list[dict]:
    """Per source: the last run and the last successful one (the operator's health page)."""
    rows = []
    for name, config in SOURCES.items():
        last = SyncRun.objects.filter(source=config.source).first()
        last_ok = SyncRun.objects.filter(
            source=config.source, status__in=[SyncRun.Status.OK, SyncRun.Status.PARTIAL]
        ).first()
        rows.append(
            {
                "name": name,
                "source": config.source,
                "label": Programme.Source(config.source).label,
                "key_configured": bool(configured_key(name)),
                "last": last,
                "last_ok": last_ok,
                "programmes": Programme.objects.filter(source=config.source).count(),
            }
        )
    return rows


def health_summary() -> dict:
    """The programme sync as JSON for /healthz (no key, no record text)."""
    summary = {}
    for row in last_runs():
        last = row["last"]
        summary[row["name"]] = {
            "key_configured": row["key_configured"],
            "programmes": row["programmes"],
            "last_run": None
            if last is None
            else {
                "started_at": last.started_at.isoformat(),
                "status": last.status,
                "fetched": last.fetched,
                "created": last.created,
                "updated": last.updated,
                "unchanged": last.unchanged,
                "rejected": last.rejected,
                "errors": len(last.errors),
            },
            "last_success_at": row["last_ok"].started_at.isoformat() if row["last_ok"] else None,
        }
    return summary
