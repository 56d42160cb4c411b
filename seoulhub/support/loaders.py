"""Load the real 기업마당 announcements and the KRX firm list (idempotent)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seoulhub.taxonomy.models import KsicCode

from .firm_import import import_firms, read_rows
from .models import EligibilityRule, Firm, Programme
from .programme_parse import parse_record
from .services import bump_data_version


def data_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR, *parts)


BIZINFO_PATH = ("bizinfo", "bizinfo_jsonArray_2021-12.json")
KRX_PATH = ("krx", "krx_listed_companies_2026-01_utf8.csv")


def division_sections() -> dict[int, str]:
    """KSIC rev. 10 two-digit division -> section letter, from the sections' "(58~63)" ranges."""
    mapping = {}
    for section in KsicCode.objects.filter(revision="10", level=1):
        match = re.search(r"\((\d+)\s*(?:~\s*(\d+))?\s*\)", section.name)
        if match:
            low, high = int(match.group(1)), int(match.group(2) or match.group(1))
            for division in range(low, high + 1):
                mapping[division] = section.code
    return mapping


PROGRAMME_FIELDS = ("title", "summary", "agency", "ministry", "kind", "support_field", "target_text", "opens_on",
                    "closes_on", "rolling", "period_text", "amount_krw", "amount_text", "url")


def load_bizinfo(path: Path | None = None) -> dict[str, int]:
    """Create or update one Programme (with its rules) per announcement, one transaction each."""
    path = path or data_path(*BIZINFO_PATH)
    records = json.loads(path.read_text(encoding="utf-8"))["jsonArray"]
    sections = division_sections()
    counts = {"programmes created": 0, "programmes updated": 0, "programmes kept as edited on the hub": 0,
              "records rejected": 0}
    existing = {p.source_id: p for p in Programme.objects.filter(source=Programme.Source.BIZINFO)}
    existing_rules: dict[int, list[tuple]] = {}
    for rule in EligibilityRule.objects.filter(programme__source=Programme.Source.BIZINFO).order_by("pk"):
        existing_rules.setdefault(rule.programme_id, []).append((rule.kind, rule.params, rule.source_text))
    for record in records:
        try:
            parsed = parse_record(record, sections)
        except ValueError:
            counts["records rejected"] += 1
            continue
        created_at = timezone.make_aware(parsed.created_at) if parsed.created_at else None
        values = {f: getattr(parsed, f) for f in PROGRAMME_FIELDS}
        values["title"] = values["title"][:300]
        rules = [(r.kind, r.params, r.source_text) for r in parsed.rules]
        programme = existing.get(parsed.source_id)
        if programme is not None:
            same = all(getattr(programme, f) == v for f, v in values.items())
            if same and existing_rules.get(programme.pk, []) == rules:
                continue
            if programme.edited_since_import():
                counts["programmes kept as edited on the hub"] += 1
                continue
        with transaction.atomic():
            if programme is None:
                programme = Programme(source=Programme.Source.BIZINFO, source_id=parsed.source_id)
                counts["programmes created"] += 1
            else:
                counts["programmes updated"] += 1
            for key, value in values.items():
                setattr(programme, key, value)
            programme.source_created_at = created_at
            programme.imported_at = timezone.now()
            programme.save()
            programme.rules.all().delete()
            EligibilityRule.objects.bulk_create(
                [EligibilityRule(programme=programme, kind=k, params=p, source_text=t) for k, p, t in rules])
    if counts["programmes created"] or counts["programmes updated"]:
        bump_data_version()  # bulk_create sends no signal (signals.py)
    return counts


def load_krx_seoul(path: Path | None = None) -> tuple[dict[str, int], list[Firm]]:
    """The KRX listed firms located in Seoul (province only: no district is set)."""
    path = path or data_path(*KRX_PATH)
    with path.open(encoding="utf-8") as handle:
        seoul = [row for row in csv.DictReader(handle) if row["지역"] == "서울특별시"]
    buffer = _csv_bytes(seoul)
    rows = read_rows(buffer, path.name)
    report, changed = import_firms(rows, source=Firm.Source.KRX, source_ref="KRX KIND 상장법인목록 2026-01")
    return report.summary(), changed


def _csv_bytes(rows: list[dict]) -> bytes:
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
