"""Import industry statistics files into IndustryStat (idempotent; all or nothing per file).

Rows with problems are rejected with their line, column and reason and the rest of the file is
imported; re-importing the same file changes nothing. One file is one transaction, so a crash
half-way leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from seoulhub.taxonomy.models import District, KsicCode

from .models import IndustryStat, StatImport
from .statsfile import TOTAL, LayoutError, RowProblem, StatRow, parse_stats_file

__all__ = ["ImportReport", "LayoutError", "import_stats", "section_names"]


@dataclass
class ImportReport:
    file_name: str
    layout: str
    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    import_id: int | None = None

    @property
    def rejected(self) -> int:
        """Lines with at least one problem."""
        return len({p.line for p in self.problems})

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        out = [
            f"{self.file_name}: layout {self.layout}, {self.rows_read} statistics read; "
            f"{self.created} {verb} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.problems)} problems"
        ]
        out += [f"  skipped: {count} {reason}" for reason, count in self.skipped.items()]
        out += [f"  rejected {problem}" for problem in self.problems]
        return out


def section_names() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for revision, code, name in KsicCode.objects.filter(level=1).values_list("revision", "code", "name"):
        names.setdefault(revision, {})[code] = name
    return names


def _district_lookup():
    districts = list(District.objects.all())
    by_name = {d.name_ko: d for d in districts}
    # Only census codes: the two schemes reuse numbers (11140 is 마포구 for KOSTAT, 중구 as an
    # administrative code), and the published statistics use KOSTAT codes.
    by_code = {d.kostat_code: d for d in districts}
    by_code.update({("adm", d.adm_code): d for d in districts})
    return by_name, by_code


def _resolve_district(row: StatRow, by_name, by_code) -> tuple[District | None, str | None]:
    name = row.district_name.removeprefix("서울특별시").removeprefix("서울시").strip()
    by_its_name = by_name.get(name) if name else None
    if row.district_adm_code:
        by_its_code = by_code.get(("adm", row.district_adm_code))
        if by_its_code is None:
            return None, _("%(value)r is not the administrative code of a Seoul gu (e.g. 11680 = 강남구)") % {
                "value": row.district_adm_code
            }
        if by_its_name is not None and by_its_name != by_its_code:
            return None, _("code %(code)s is %(gu)s but the name says %(name)s") % {
                "code": row.district_adm_code,
                "gu": by_its_code.name_ko,
                "name": name,
            }
        return by_its_code, None
    if row.district_code:
        by_its_code = by_code.get(row.district_code)
        if by_its_code is None:
            return None, _("%(value)r is not the KOSTAT census code of a Seoul gu (e.g. 11230 = 강남구)") % {
                "value": row.district_code
            }
        if by_its_name is not None and by_its_name != by_its_code:
            return None, _("code %(code)s is %(gu)s but the name says %(name)s") % {
                "code": row.district_code,
                "gu": by_its_code.name_ko,
                "name": name,
            }
        return by_its_code, None
    if by_its_name is None:
        return None, _("%(value)r is not one of Seoul's 25 gu (expected e.g. 강남구)") % {"value": row.district_name}
    return by_its_name, None


def import_stats(
    data: bytes, file_name: str, *, dry_run: bool = False, user=None, source: str = "", notes: str = ""
) -> ImportReport:
    """Parse, validate and store one statistics file. Raises LayoutError for an unreadable file."""
    parsed = parse_stats_file(data, section_names())
    report = ImportReport(
        file_name=file_name,
        layout=parsed.layout,
        dry_run=dry_run,
        problems=list(parsed.problems),
        skipped=dict(parsed.skipped),
    )
    by_name, by_code = _district_lookup()
    known_codes = set(KsicCode.objects.values_list("revision", "code"))
    accepted: dict[tuple, tuple[StatRow, District]] = {}
    first_line: dict[tuple, int] = {}
    for row in parsed.rows:
        district, error = _resolve_district(row, by_name, by_code)
        if error:
            report.problems.append(RowProblem(row.line, parsed.district_column, error))
            continue
        if row.ksic_code != TOTAL and (row.revision, row.ksic_code) not in known_codes:
            report.problems.append(
                RowProblem(
                    row.line,
                    parsed.code_column,
                    _("%(value)r is not a KSIC rev. %(revision)s code")
                    % {"value": row.ksic_code, "revision": row.revision},
                )
            )
            continue
        key = (row.year, district.pk, row.revision, row.ksic_code)
        if key in accepted:
            report.problems.append(
                RowProblem(
                    row.line,
                    parsed.code_column,
                    _("%(gu)s %(year)s %(code)s repeats line %(line)s")
                    % {"gu": district.name_ko, "year": row.year, "code": row.ksic_code, "line": first_line[key]},
                )
            )
            continue
        accepted[key] = (row, district)
        first_line[key] = row.line
    report.rows_read = len(parsed.rows)
    # A Seoul Open Data line gives one statistic per section: report its problem once.
    report.problems = sorted(dict.fromkeys(report.problems), key=lambda p: p.line)

    with transaction.atomic():
        existing = {
            (s.year, s.district_id, s.revision, s.ksic_code): s
            for s in IndustryStat.objects.filter(year__in={k[0] for k in accepted}).select_for_update()
        }
        record = None
        if not dry_run:
            record = StatImport.objects.create(
                file_name=file_name[:300],
                sha256=hashlib.sha256(data).hexdigest(),
                layout=parsed.layout,
                source=source[:300],
                notes=notes,
                imported_by=user if getattr(user, "pk", None) else None,
            )
        to_create, to_update = [], []
        for key, (row, district) in accepted.items():
            values = {
                "ksic_name": row.ksic_name[:200],
                "establishments": row.establishments,
                "workers": row.workers,
                "workers_suppressed": row.workers_suppressed,
            }
            stat = existing.get(key)
            if stat is None:
                to_create.append(
                    IndustryStat(
                        year=row.year,
                        district=district,
                        revision=row.revision,
                        ksic_code=row.ksic_code,
                        source_import=record,
                        **values,
                    )
                )
            elif any(getattr(stat, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(stat, name, value)
                stat.source_import = record
                to_update.append(stat)
            else:
                report.unchanged += 1
        report.created, report.updated = len(to_create), len(to_update)
        if record is not None:
            IndustryStat.objects.bulk_create(to_create, batch_size=500)
            IndustryStat.objects.bulk_update(
                to_update,
                ["ksic_name", "establishments", "workers", "workers_suppressed", "source_import"],
                batch_size=500,
            )
            record.rows_read = report.rows_read
            record.created, record.updated, record.unchanged = report.created, report.updated, report.unchanged
            record.rejected = len({p.line for p in report.problems})
            record.problems = [{"line": p.line, "column": p.column, "message": p.message} for p in report.problems]
            record.skipped = report.skipped
            record.save()
            report.import_id = record.pk
    return report
