"""Load the real 기업마당 and K-Startup announcements and the KRX firm list (idempotent)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from seoulhub.taxonomy.models import KsicCode

from .firm_import import import_firms, read_rows
from .models import EligibilityRule, Firm, Programme, ProgrammeChange
from .programme_parse import parse_kstartup_record, parse_record
from .services import bump_data_version


def data_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR, *parts)


BIZINFO_PATH = ("bizinfo", "bizinfo_jsonArray_2021-12.json")
# The current demo catalogue: 기업마당 2024-12 .. 2026-07 and K-Startup 2026 (data/NOTICE.md).
BIZINFO_RECENT_PATHS = (
    ("bizinfo", "bizinfo_announcements_2024-12_2025-09.jsonl"),
    ("bizinfo", "bizinfo_announcements_2026.jsonl"),
)
KSTARTUP_PATH = ("kstartup", "kstartup_announcements_2026.jsonl")
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


PROGRAMME_FIELDS = (
    "title",
    "summary",
    "agency",
    "ministry",
    "kind",
    "support_field",
    "target_text",
    "opens_on",
    "closes_on",
    "rolling",
    "period_text",
    "amount_krw",
    "amount_text",
    "url",
    "derived_by_collector",
)
# Fields a change of which is shown to users as "changed at source" (the rest is wording or bookkeeping).
NOTABLE_FIELDS = ("title", "opens_on", "closes_on", "rolling", "period_text", "amount_krw", "agency", "url", "rules")
COUNT_KEYS = (
    "programmes created",
    "programmes updated",
    "programmes unchanged",
    "programmes kept as edited on the hub",
    "records rejected",
)
MAX_ERRORS_KEPT = 100


@dataclass
class UpsertReport:
    """What an import or sync did, record by record; errors name the record and the reason."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    errors: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        self.counts["records rejected"] += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"{where}: {reason}")


def _fit(model_field: str, value):
    """Cut text to the column's length (PostgreSQL refuses longer values; SQLite would keep them)."""
    limit = getattr(Programme._meta.get_field(model_field), "max_length", None)
    if limit and isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date,)):
        return value.isoformat()
    return str(value)[:200]


def _changes(programme: Programme, values: dict, old_rules: list, new_rules: list) -> list[dict]:
    changes = [
        {"field": name, "old": _shown(getattr(programme, name)), "new": _shown(value)}
        for name, value in values.items()
        if getattr(programme, name) != value
    ]
    if old_rules != new_rules:
        changes.append(
            {
                "field": "rules",
                "old": "; ".join(t for _k, _p, t in old_rules)[:200],
                "new": "; ".join(t for _k, _p, t in new_rules)[:200],
            }
        )
    return changes


def upsert_programmes(
    parsed_records, source: str, *, provenance: str = "", sync_run=None, report: UpsertReport | None = None
) -> UpsertReport:
    """Create or update one Programme (with its rules) per parsed announcement, keyed on
    (source, source id), each in its own transaction.

    `parsed_records` yields (where, ParsedProgramme or the ValueError that parsing raised, and
    optionally its provenance): a bad record is reported and skipped, the others go in. When an id
    comes twice (two files, or a feed that repeats itself) the first occurrence counts. A re-run with the same data writes nothing;
    a changed announcement is updated in place, gets `changed_at`, and a ProgrammeChange row lists
    what changed. A programme edited on the hub after its import is left alone."""
    report = report or UpsertReport()
    existing = {p.source_id: p for p in Programme.objects.filter(source=source)}
    existing_rules: dict[int, list[tuple]] = {}
    for rule in EligibilityRule.objects.filter(programme__source=source).order_by("pk"):
        existing_rules.setdefault(rule.programme_id, []).append((rule.kind, rule.params, rule.source_text))
    seen: set[str] = set()
    for item in parsed_records:
        where, parsed = item[0], item[1]
        record_provenance = item[2] if len(item) > 2 else provenance
        if isinstance(parsed, Exception):
            report.reject(where, str(parsed))
            continue
        if parsed.source_id in seen:
            continue  # the same announcement twice in one feed (or in two files): the first one counts
        seen.add(parsed.source_id)
        values = {f: _fit(f, getattr(parsed, f)) for f in PROGRAMME_FIELDS}
        rules = [(r.kind, r.params, r.source_text) for r in parsed.rules]
        created_at = timezone.make_aware(parsed.created_at) if parsed.created_at else None
        programme = existing.get(parsed.source_id)
        source_hash = getattr(parsed, "source_hash", "")
        changes: list[dict] = []
        if programme is not None:
            changes = _changes(programme, values, existing_rules.get(programme.pk, []), rules)
            if not changes and programme.source_hash != source_hash:
                changes = [{"field": "source_hash", "old": programme.source_hash, "new": source_hash}]
            if not changes:
                report.counts["programmes unchanged"] += 1
                continue
            if programme.edited_since_import():
                report.counts["programmes kept as edited on the hub"] += 1
                continue
        try:
            with transaction.atomic():
                is_new = programme is None
                if is_new:
                    programme = Programme(source=source, source_id=parsed.source_id)
                for key, value in values.items():
                    setattr(programme, key, value)
                programme.source_created_at = created_at or programme.source_created_at
                programme.provenance = _fit("provenance", record_provenance)
                programme.imported_at = timezone.now()
                # Shown as a change only when the source's record itself changed; the same record
                # read by an improved parser updates quietly.
                source_changed = bool(programme.source_hash) and programme.source_hash != source_hash
                notable = [c for c in changes if c["field"] in NOTABLE_FIELDS] if source_changed else []
                programme.source_hash = source_hash
                if any(c["field"] in ("title", "summary") for c in changes):
                    programme.embedding = None  # re-embedded by the sync's enrichment (or load-demo)
                if notable:
                    programme.changed_at = programme.imported_at
                programme.full_clean(exclude=["technologies"], validate_unique=False, validate_constraints=False)
                programme.save()
                programme.rules.all().delete()
                EligibilityRule.objects.bulk_create(
                    [EligibilityRule(programme=programme, kind=k, params=p, source_text=t) for k, p, t in rules]
                )
                if notable:
                    ProgrammeChange.objects.create(
                        programme=programme, fields=notable, sync_run=sync_run, changed_at=programme.imported_at
                    )
        except (ValidationError, DatabaseError) as exc:
            if is_new:
                programme = None
            else:
                programme.refresh_from_db()
            report.reject(where, _error_text(exc))
            continue
        existing[parsed.source_id] = programme
        existing_rules[programme.pk] = rules
        report.counts["programmes created" if is_new else "programmes updated"] += 1
    if report.counts["programmes created"] or report.counts["programmes updated"]:
        bump_data_version()  # bulk_create sends no signal (signals.py)
    return report


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in exc.message_dict.items())
    return f"the database refused the record ({exc.__class__.__name__}: {exc})"


# Keys that change without the announcement changing: the collectors' bookkeeping and view counts.
VOLATILE_KEYS = {"inqireCo", "_origin", "_last_seen", "_first_seen", "_commit", "pubDate_rss"}


def record_digest(record) -> str:
    if not isinstance(record, dict):
        return ""
    kept = {k: v for k, v in record.items() if k not in VOLATILE_KEYS}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _parsed(parse, record):
    parsed = parse(record)
    parsed.source_hash = record_digest(record)
    return parsed


def parse_bizinfo_records(records, sections: dict[int, str]):
    for n, record in enumerate(records, 1):
        where = _where(record, "pblancId", n)
        try:
            yield where, _parsed(lambda r: parse_record(r, sections), record)
        except ValueError as exc:
            yield where, exc


def parse_kstartup_records(records):
    for n, record in enumerate(records, 1):
        where = _where(record, "pbanc_sn", n)
        try:
            yield where, _parsed(parse_kstartup_record, record)
        except ValueError as exc:
            yield where, exc


def _where(record, key: str, n: int) -> str:
    ident = record.get(key) if isinstance(record, dict) else None
    return f"record {n} ({key} {ident})" if ident else f"record {n}"


def read_records(path: Path) -> list:
    """A bizinfo API answer ({"jsonArray": [...]}), a K-Startup answer ({"data": [...]}), a JSON
    list, or JSON Lines (one record a line)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    body = json.loads(text)
    if isinstance(body, dict):
        return body.get("jsonArray") or body.get("data") or []
    return body


def _file_label(path: Path) -> str:
    return f"data/{path.parent.name}/{path.name}"


def load_bizinfo(*paths: Path) -> dict[str, int]:
    """Load bizinfo files (idempotent); an id in several files is taken from the first file given."""
    paths = paths or (data_path(*BIZINFO_PATH),)
    sections = division_sections()

    def records():
        for path in paths:
            for where, parsed in parse_bizinfo_records(read_records(path), sections):
                yield f"{path.name} {where}", parsed, _file_label(path)

    return upsert_programmes(records(), Programme.Source.BIZINFO).counts


def load_kstartup(path: Path | None = None) -> dict[str, int]:
    path = path or data_path(*KSTARTUP_PATH)
    return upsert_programmes(
        parse_kstartup_records(read_records(path)), Programme.Source.KSTARTUP, provenance=_file_label(path)
    ).counts


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


# ---- the yearly national plan (창업지원사업 통합공고) -------------------------------------------
PLAN_FILES = (
    ("startup-support-integrated-notice", "integrated_notice_2024.csv"),
    ("startup-support-integrated-notice", "integrated_notice_2025.csv"),
)


def load_plan(paths=None) -> dict[str, int]:
    """The 2024 and 2025 plan tables (idempotent: keyed on year, section, category, number, title)."""
    from decimal import Decimal, InvalidOperation

    from .models import PlanEntry
    from .plan_match import owner_name

    counts = {"plan entries created": 0, "plan entries updated": 0, "plan entries unchanged": 0}
    for path in paths or [data_path(*p) for p in PLAN_FILES]:
        with Path(path).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                try:
                    budget = (
                        Decimal(row["budget_100m_krw"]).quantize(Decimal("0.01"))
                        if row["budget_100m_krw"].strip()
                        else None
                    )
                except InvalidOperation:
                    budget = None
                number = int(row["no_in_category"]) if row["no_in_category"].strip().isdigit() else None
                key = {
                    "year": int(row["year"]),
                    "section": row["section"],
                    "category": row["category"],
                    "number": number,
                    "title": row["title"].strip()[:300],
                }
                values = {
                    "summary": row["summary"],
                    "support": row["support"],
                    "target": row["target"],
                    "budget_100m_krw": budget,
                    "budget_recovered": row["budget_recovered_from_misaligned_cell"] == "True",
                    "notice_timing": row["notice_timing_raw"][:100],
                    "ministry_or_city": row["ministry_or_city"][:200],
                    "owner": owner_name(row["ministry_or_city"])[:100],
                    "operator": row["operator"][:200],
                    "note": row["note"],
                }
                entry = PlanEntry.objects.filter(**key).first()
                if entry is not None and all(getattr(entry, k) == v for k, v in values.items()):
                    counts["plan entries unchanged"] += 1
                    continue
                PlanEntry.objects.update_or_create(**key, defaults=values)
                counts["plan entries updated" if entry else "plan entries created"] += 1
    counts["plan entries linked to announcements"] = link_plan_to_programmes()
    return counts


def link_plan_to_programmes() -> int:
    """(Re)link every plan entry to the announcements whose titles match (plan_match); returns
    how many entries have at least one. Run after each load or sync: cheap (a few thousand titles)."""
    from .models import PlanEntry
    from .plan_match import announcement_year, match_plan, place_name

    announcements = []
    for pk, title, created, opens in Programme.objects.values_list("pk", "title", "source_created_at", "opens_on"):
        fallback = created.year if created else (opens.year if opens else None)
        announcements.append((pk, announcement_year(title, fallback), title))
    entries = [
        (e.pk, e.year, e.title, place_name(e.owner) if e.section == PlanEntry.Section.LOCAL else "")
        for e in PlanEntry.objects.only("pk", "year", "title", "owner", "section")
    ]
    links = match_plan(entries, announcements)
    through = PlanEntry.programmes.through
    wanted = {(entry, programme) for entry, programmes in links.items() for programme in programmes}
    current = set(through.objects.values_list("planentry_id", "programme_id"))
    if wanted != current:
        stale = [
            pk for pk, e, p in through.objects.values_list("pk", "planentry_id", "programme_id") if (e, p) not in wanted
        ]
        with transaction.atomic():
            through.objects.filter(pk__in=stale).delete()
            through.objects.bulk_create([through(planentry_id=e, programme_id=p) for e, p in wanted - current])
    return len(links)


# ---- the venture-firm sample (중소벤처기업부 벤처기업명단, 2026-08) -----------------------------------
VENTURE_PATH = ("seoul-venture-firms", "seoul_venture_firms_sample_2026-08.csv")
VENTURE_REF = "벤처기업명단 2026-08 연번 {id}"


def load_venture_sample(path: Path | None = None) -> tuple[dict[str, int], list[Firm]]:
    """71 real Seoul venture firms with their district (a sample of the list, not a census; see
    SOURCE.txt). Only the published fields are stored; the KSIC rev. 11 class name is linked to a
    rev. 10 code only when exactly one rev. 10 class has the same name. Keyed on the list's row
    number, so a re-run changes nothing."""
    from seoulhub.taxonomy.models import District

    path = path or data_path(*VENTURE_PATH)
    districts = {d.name_ko: d for d in District.objects.all()}
    by_name: dict[str, list[KsicCode]] = {}
    for code in KsicCode.objects.filter(revision="10", level=5):
        by_name.setdefault(code.name, []).append(code)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    changed: list[Firm] = []
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        district = districts.get(row["gu"].strip())
        if district is None or not row["name"].strip():
            counts["rejected"] += 1
            continue
        matches = by_name.get(row["industry_ksic11_name"].strip(), [])
        ksic = matches[0] if len(matches) == 1 else None
        values = {
            "name_ko": row["name"].strip()[:200],
            "district": district,
            "province": "서울특별시",
            "address": row["address"].strip()[:300],
            "industry_text": row["industry_ksic11_name"].strip()[:200],
            "ksic": ksic,
            "products": row["main_product"].strip(),
            "certifications": ["venture"],
            "description": (
                f"벤처기업 확인({row['venture_type']}, {row['confirmation_kind']}) 유효기간 "
                f"{row['valid_from']} ~ {row['valid_until']}; 업종(기보): {row['industry_kibo']}"
            ),
            "provenance": (
                "중소벤처기업부 벤처기업명단(2026.8), 공공데이터포털 15084581: 업체명, 소재지(시군구), "
                "업종명(11차), 주생산품, 벤처확인 유효기간. 표본 71개사(목록 순서), 전수 아님."
                + (f" KSIC 10차 코드는 11차 업종명과 같은 이름의 세세분류({ksic.code})로 연결." if ksic else "")
            ),
        }
        ref = VENTURE_REF.format(id=row["source_id"].strip())
        firm = Firm.objects.filter(source=Firm.Source.VENTURE_SAMPLE, source_ref=ref).first()
        if firm is not None and all(getattr(firm, k) == v for k, v in values.items()):
            counts["unchanged"] += 1
            continue
        with transaction.atomic():
            if firm is None:
                firm = Firm(source=Firm.Source.VENTURE_SAMPLE, source_ref=ref)
                counts["created"] += 1
            else:
                counts["updated"] += 1
            for key, value in values.items():
                setattr(firm, key, value)
            firm.save()
        changed.append(firm)
    return counts, changed
