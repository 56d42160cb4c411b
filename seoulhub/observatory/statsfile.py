"""Read establishment/worker statistics by district x KSIC x year from the two published CSV
layouts (only gettext from Django: problems are shown on Korean pages). The exact columns are documented in docs/observatory.md.

1. Seoul Open Data "서울시 사업체현황 (산업대분류별/동별)": columns 기간/GIGAN, 자치구/JACHIGU,
   동/DONG, then an establishments and a workers column per KSIC section (and 합계 = all
   industries). The portal's CSV has two header rows (section, then 사업체수/종사자수); a single
   header row naming both ("정보통신업 사업체수", "J 종사자수") is accepted too. Gu rows are those
   whose 동 is 소계 (or empty); dong rows and Seoul's own total are skipped.
2. Seoul Institute "sanup_num_wrk" (KOSIS 전국사업체조사): year, sgis_lv, sgis_cd, sgis_nm,
   sgis_si, sgis_gu, sgis_dong, indst_ctg, indst_cd, indst_nm, num_estbl, num_wrk. Gu rows are
   sgis_lv = 2 in 서울특별시; indst_ctg 전체 is the all-industry total; "X" marks a suppressed
   worker count (two or fewer establishments).
3. KOSIS gu tables as shipped in data/seoul-establishments (서울특별시 사업체현황, 통계청 전국사업체조사):
   gu_code (administrative code, 11680 = 강남구), gu_name, year, then either establishments and
   workers (all industries: one TOTAL row per gu and year) or ksic_section and establishments (one
   row per gu, year and KSIC section; the source has no workers by section).

Parsing never stops at a bad row: every problem is reported with its line, column and reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TOTAL = "TOTAL"  # the ksic_code of an all-industries row
SEOUL_LAYOUT = "seoul-open-data"
SANUP_LAYOUT = "sanup_num_wrk"
SANUP_COLUMNS = ["year", "sgis_lv", "sgis_cd", "sgis_nm", "indst_cd", "num_estbl", "num_wrk"]
KOSIS_GU_LAYOUT = "kosis-gu"
KOSIS_GU_COLUMNS = ["gu_code", "gu_name", "year", "establishments"]
TOTAL_LABELS = {"합계", "계", "총계", "전산업", "전체", "total", "all"}
SEOUL_TOTAL_DISTRICTS = {"합계", "계", "서울시", "서울특별시", "서울", "총계"}
GU_ROW_DONGS = {"소계", "합계", "계", ""}
MISSING = {"", "null", "none", "na", "n/a", "…", "..."}
SUPPRESSED = {"x", "*"}
EARLIEST_YEAR, LATEST_YEAR = 2006, 2100  # before 2006 the survey used KSIC rev. 8, which the hub lacks
# The largest count the database column holds (a PositiveIntegerField): a file's larger number is
# a problem of its line, found by the dry run too, not an error of the real run.
MAX_COUNT = 2_147_483_647
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Control characters (tab and line breaks aside) mean nothing in a statistics file, and NUL
# cannot be stored in PostgreSQL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LayoutError(ValueError):
    """The file is not one of the accepted layouts (nothing can be read from it)."""


@dataclass(frozen=True)
class StatRow:
    line: int
    year: int
    district_code: str  # KOSTAT census code when the file gives one, else ""
    district_name: str
    revision: str  # "9" or "10"
    ksic_code: str  # section letter, KSIC code, or TOTAL
    ksic_name: str
    establishments: int | None
    workers: int | None
    workers_suppressed: bool = False
    district_adm_code: str = ""  # administrative code (11680 = 강남구) when the file gives one


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "reason": self.message,
        }


@dataclass
class ParsedFile:
    layout: str
    rows: list[StatRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    district_column: str = ""
    code_column: str = ""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP949 — the encoding of many Korean public files."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LayoutError(_("the file is neither UTF-8 nor CP949 (EUC-KR) text"))


def normalise_name(text: str) -> str:
    """Section names compare without the "(58~63)" range, spaces and punctuation."""
    text = re.sub(r"\([^)]*\)", "", text)
    return re.sub(r"[\W_]+", "", text).casefold()


def parse_count(raw: str) -> tuple[int | None, bool, str | None]:
    """(value, suppressed, error). "-" is zero (Korean statistical tables' convention)."""
    text = (raw or "").strip().replace(",", "")
    if text.casefold() in MISSING:
        return None, False, None
    if text.casefold() in SUPPRESSED:
        return None, True, None
    if text in {"-", "–", "—"}:
        return 0, False, None
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        return None, False, _("%(value)r is not a whole number of zero or more") % {"value": raw}
    if not _NUMBER.fullmatch(text):  # ASCII digits only: float() took "1e400", "nan" and "١٢"
        return None, False, _("%(value)r is not a number") % {"value": raw}
    whole, _dot, fraction = text.partition(".")
    if fraction.strip("0"):
        return None, False, _("%(value)r is not a whole number of zero or more") % {"value": raw}
    if len(whole) > 10 or int(whole) > MAX_COUNT:
        return (
            None,
            False,
            _("%(value)r is larger than %(limit)s, the largest count the hub can store")
            % {"value": raw, "limit": f"{MAX_COUNT:,}"},
        )
    return int(whole), False, None


def revision_for_year(year: int) -> str | None:
    """The KSIC revision the survey used for a year; None for 2016, published under both."""
    if year <= 2015:
        return "9"
    if year >= 2017:
        return "10"
    return None


def _parse_year(raw: str) -> tuple[int | None, str | None]:
    match = re.fullmatch(r"\s*([0-9]{4})(?:\s*년)?(?:[.\-/][0-9]{1,2})?\s*", raw or "")
    if not match:
        return None, _("%(value)r is not a year (expected e.g. 2019)") % {"value": raw}
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None, _(
            "year %(year)s is outside %(earliest)s..: earlier surveys use KSIC rev. 8, which is not supported"
        ) % {"year": year, "earliest": EARLIEST_YEAR}
    return year, None


def parse_stats_file(data: bytes | str, section_names: dict[str, dict[str, str]]) -> ParsedFile:
    """Parse either layout. `section_names` maps revision -> {section letter: Korean name}."""
    text = decode(data) if isinstance(data, bytes) else data
    text = _CONTROL.sub("", text)
    records = list(csv.reader(io.StringIO(text)))
    records = [(i + 1, r) for i, r in enumerate(records) if any(cell.strip() for cell in r)]
    if not records:
        raise LayoutError(_("the file is empty"))
    header = [cell.strip() for cell in records[0][1]]
    lowered = [h.casefold() for h in header]
    if all(column in lowered for column in SANUP_COLUMNS):
        return _parse_sanup(records, lowered)
    if all(column in lowered for column in KOSIS_GU_COLUMNS):
        return _parse_kosis_gu(records, lowered)
    if ("기간" in header or "gigan" in lowered) and ("자치구" in header or "jachigu" in lowered):
        return _parse_seoul(records, header, section_names)
    raise LayoutError(
        _(
            "unrecognised columns: expected the Seoul Open Data layout (기간/GIGAN, 자치구/JACHIGU, 동/DONG, "
            "then 사업체수/종사자수 per KSIC section) or the sanup_num_wrk layout (%(sanup)s) or the KOSIS gu "
            "layout (%(kosis)s, then workers or ksic_section); found %(found)s"
        )
        % {"sanup": ", ".join(SANUP_COLUMNS), "kosis": ", ".join(KOSIS_GU_COLUMNS), "found": ", ".join(header[:12])}
    )


def _complete_rows(records, header: list[str], parsed: ParsedFile):
    """(line, cell) for each data row with every column of the header, where cell(name) is that
    column's stripped text; a shorter row is recorded as a problem and skipped."""
    index = {name: i for i, name in enumerate(header)}
    for line, row in records[1:]:
        if len(row) < len(header):
            parsed.problems.append(
                RowProblem(
                    line,
                    "-",
                    _("%(count)s columns, the header has %(expected)s") % {"count": len(row), "expected": len(header)},
                )
            )
            continue
        yield line, lambda name, row=row: row[index[name]].strip() if name in index else ""


def _parse_sanup(records, header: list[str]) -> ParsedFile:
    parsed = ParsedFile(layout=SANUP_LAYOUT, district_column="sgis_cd", code_column="indst_cd")
    for line, cell in _complete_rows(records, header, parsed):
        level = cell("sgis_lv")
        province = cell("sgis_si")
        code = cell("sgis_cd")
        if province and province != "서울특별시" or (not province and not code.startswith("11")):
            parsed.skipped["rows outside Seoul"] += 1
            continue
        if level != "2":
            parsed.skipped["rows that are not gu level (sgis_lv != 2)"] += 1
            continue
        year, error = _parse_year(cell("year"))
        if error:
            parsed.problems.append(RowProblem(line, "year", error))
            continue
        revision = cell("ksic_rev") or revision_for_year(year)
        if revision not in {"9", "10"}:
            parsed.problems.append(
                RowProblem(
                    line,
                    "year",
                    _("%(year)s was published under KSIC rev. 9 and 10: add a ksic_rev column (9 or 10)")
                    % {"year": year},
                )
            )
            continue
        category = cell("indst_ctg")
        ksic = cell("indst_cd").upper()
        if category == "전체" or ksic.casefold() in TOTAL_LABELS or normalise_name(cell("indst_nm")) in TOTAL_LABELS:
            ksic = TOTAL
        elif not ksic or ksic.casefold() in MISSING:
            parsed.problems.append(RowProblem(line, "indst_cd", _("no industry code")))
            continue
        if not re.fullmatch(r"[0-9]{5}(?:[0-9]{2})?", code):
            parsed.problems.append(
                RowProblem(line, "sgis_cd", _("%(value)r is not a 5- or 7-digit KOSTAT code") % {"value": code})
            )
            continue
        establishments, _s, error = parse_count(cell("num_estbl"))
        if error:
            parsed.problems.append(RowProblem(line, "num_estbl", error))
            continue
        workers, suppressed, error = parse_count(cell("num_wrk"))
        if error:
            parsed.problems.append(RowProblem(line, "num_wrk", error))
            continue
        if establishments is None and workers is None and not suppressed:
            parsed.problems.append(RowProblem(line, "num_estbl", _("neither an establishment nor a worker count")))
            continue
        parsed.rows.append(
            StatRow(
                line,
                year,
                code[:5],
                cell("sgis_gu") or cell("sgis_nm"),
                revision,
                ksic,
                cell("indst_nm"),
                establishments,
                workers,
                suppressed,
            )
        )
    return parsed


def _parse_kosis_gu(records, header: list[str]) -> ParsedFile:
    """Gu totals (establishments, workers) or gu x KSIC section establishments (layout 3)."""
    by_section = "ksic_section" in header
    if not by_section and "workers" not in header:
        raise LayoutError(_("a KOSIS gu file has either a ksic_section column or a workers column"))
    parsed = ParsedFile(
        layout=KOSIS_GU_LAYOUT,
        district_column="gu_code",
        code_column="ksic_section" if by_section else "establishments",
    )
    for line, cell in _complete_rows(records, header, parsed):
        year, error = _parse_year(cell("year"))
        if error:
            parsed.problems.append(RowProblem(line, "year", error))
            continue
        code = cell("gu_code")
        if len(code) != 5 or not code.isascii() or not code.isdigit():
            parsed.problems.append(
                RowProblem(
                    line,
                    "gu_code",
                    _("%(value)r is not a 5-digit administrative code (e.g. 11680 = 강남구)") % {"value": code},
                )
            )
            continue
        establishments, _s, error = parse_count(cell("establishments"))
        if error:
            parsed.problems.append(RowProblem(line, "establishments", error))
            continue
        if by_section:
            section = cell("ksic_section").upper()
            if not re.fullmatch(r"[A-U]", section):
                parsed.problems.append(
                    RowProblem(
                        line, "ksic_section", _("%(value)r is not a KSIC section letter (A-U)") % {"value": section}
                    )
                )
                continue
            revision = cell("ksic_rev") or revision_for_year(year)
            if revision not in {"9", "10"}:
                parsed.problems.append(
                    RowProblem(
                        line,
                        "year",
                        _("%(year)s was published under KSIC rev. 9 and 10: add a ksic_rev column (9 or 10)")
                        % {"year": year},
                    )
                )
                continue
            if establishments is None:
                parsed.skipped["rows without a value in the source"] += 1
                continue
            parsed.rows.append(
                StatRow(
                    line,
                    year,
                    "",
                    cell("gu_name"),
                    revision,
                    section,
                    cell("ksic_section_name"),
                    establishments,
                    None,
                    district_adm_code=code,
                )
            )
            continue
        workers, suppressed, error = parse_count(cell("workers"))
        if error:
            parsed.problems.append(RowProblem(line, "workers", error))
            continue
        if establishments is None and workers is None:
            parsed.skipped["rows without a value in the source"] += 1
            continue
        # An all-industry total does not depend on the KSIC revision; 2016 (published under both)
        # is filed under rev. 10.
        revision = cell("ksic_rev") or revision_for_year(year) or "10"
        parsed.rows.append(
            StatRow(
                line,
                year,
                "",
                cell("gu_name"),
                revision,
                TOTAL,
                "",
                establishments,
                workers,
                suppressed,
                district_adm_code=code,
            )
        )
    return parsed


def _column_labels(records) -> tuple[list[str], int]:
    """Count-column labels from one or two header rows; returns (labels, first data index)."""
    first = [c.strip() for c in records[0][1]]
    second = [c.strip() for c in records[1][1]] if len(records) > 1 else []
    two_rows = bool(second) and second[0] == first[0] and any(_measure(c) for c in second[3:])
    if not two_rows:
        return first, 1
    labels, section = [], ""
    for top, bottom in zip(first, second + [""] * (len(first) - len(second))):
        section = top or section  # merged header cells are exported as blanks
        labels.append(f"{section} {bottom}".strip())
    return labels, 2


def _measure(label: str) -> str | None:
    lowered = label.casefold()
    if "사업체" in label or "establishment" in lowered or "estbl" in lowered:
        return "establishments"
    if "종사자" in label or "worker" in lowered or "employee" in lowered or "wrk" in lowered:
        return "workers"
    return None


def _strip_measure(label: str) -> str:
    return re.sub(r"사업체\s*수?|종사자\s*수?|establishments?|workers?|employees?", "", label, flags=re.I)


def _names_section(label: str, names: dict[str, str]) -> str | None:
    key = normalise_name(_strip_measure(label))
    return next((section for section, name in names.items() if key and key == normalise_name(name)), None)


def _section(label: str, names: dict[str, str]) -> str | None:
    """The section letter (or TOTAL) named by a count column's label, for one revision."""
    stripped = _strip_measure(label)
    key = normalise_name(stripped)
    if key in TOTAL_LABELS:
        return TOTAL
    letter = re.fullmatch(r"[\W_]*([A-Ua-u])[\W_]*", stripped)
    if letter:
        return letter.group(1).upper()
    return _names_section(label, names)


def _parse_seoul(records, header: list[str], section_names: dict[str, dict[str, str]]) -> ParsedFile:
    labels, first_data = _column_labels(records)
    lowered = [h.casefold() for h in header]
    year_i = header.index("기간") if "기간" in header else lowered.index("gigan")
    gu_i = header.index("자치구") if "자치구" in header else lowered.index("jachigu")
    dong_i = header.index("동") if "동" in header else (lowered.index("dong") if "dong" in lowered else None)
    rev_i = lowered.index("ksic_rev") if "ksic_rev" in lowered else None
    parsed = ParsedFile(layout=SEOUL_LAYOUT, district_column=header[gu_i])
    fixed = {year_i, gu_i, dong_i, rev_i}
    # Which revision's section names fit the header best decides a file-wide revision.
    scores = {
        rev: sum(1 for i, label in enumerate(labels) if i not in fixed and _names_section(label, names))
        for rev, names in section_names.items()
    }
    ranked = sorted(scores, key=lambda r: -scores[r])
    header_revision = None
    if ranked and scores[ranked[0]] and (len(ranked) == 1 or scores[ranked[0]] > scores[ranked[1]]):
        header_revision = ranked[0]
    columns: dict[int, tuple[str, str]] = {}
    for i, label in enumerate(labels):
        if i in fixed:
            continue
        measure = _measure(label)
        section = _section(label, section_names.get(header_revision or "10", {}))
        if section is None and header_revision is None:
            section = _section(label, section_names.get("9", {}))
        if measure is None or section is None:
            parsed.problems.append(
                RowProblem(
                    first_data,
                    label or f"#{i + 1}",
                    _("column not understood (needs a KSIC section or 합계, and 사업체수 or 종사자수); ignored"),
                )
            )
            continue
        columns[i] = (section, measure)
    if not columns:
        raise LayoutError(_("no establishment or worker columns found (e.g. '정보통신업 사업체수' or two header rows)"))
    parsed.code_column = ", ".join(sorted({labels[i] for i in columns}))[:200]
    for line, row in records[first_data:]:

        def cell(i):
            return row[i].strip() if i is not None and i < len(row) else ""

        district = cell(gu_i)
        if district in SEOUL_TOTAL_DISTRICTS:
            parsed.skipped["Seoul total rows"] += 1
            continue
        if dong_i is not None and cell(dong_i) not in GU_ROW_DONGS:
            parsed.skipped["dong rows (gu subtotals 소계 are used)"] += 1
            continue
        if not district:
            parsed.problems.append(RowProblem(line, header[gu_i], _("no district")))
            continue
        year, error = _parse_year(cell(year_i))
        if error:
            parsed.problems.append(RowProblem(line, header[year_i], error))
            continue
        revision = cell(rev_i) or header_revision or revision_for_year(year)
        if revision not in {"9", "10"}:
            parsed.problems.append(
                RowProblem(
                    line,
                    header[year_i],
                    _(
                        "%(year)s was published under KSIC rev. 9 and 10 and the column names do not tell "
                        "which: add a ksic_rev column (9 or 10)"
                    )
                    % {"year": year},
                )
            )
            continue
        values: dict[str, dict[str, tuple[int | None, bool]]] = {}
        bad = False
        for i, (section, measure) in columns.items():
            value, suppressed, error = parse_count(cell(i))
            if error:
                parsed.problems.append(RowProblem(line, labels[i], error))
                bad = True
                break
            values.setdefault(section, {})[measure] = (value, suppressed)
        if bad:
            continue
        for section, measures in values.items():
            establishments = measures.get("establishments", (None, False))[0]
            workers, suppressed = measures.get("workers", (None, False))
            if establishments is None and workers is None and not suppressed:
                continue
            name = "" if section == TOTAL else section_names.get(revision, {}).get(section, "")
            parsed.rows.append(
                StatRow(line, year, "", district, revision, section, name, establishments, workers, suppressed)
            )
    return parsed
