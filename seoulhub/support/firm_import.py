"""Import firms from CSV or XLSX, with a dry run that reports every rejected row and why.

Accepted layouts: the hub's own columns (see COLUMNS, Korean or English headers) and the KRX KIND
listed-company export (회사명, 종목코드, 업종, 주요제품, 상장일, 홈페이지, 지역). A firm is matched by
business registration number or stock code, so importing the same file twice changes nothing.

The dry run and the real run validate the same way, down to what the database would refuse
(lengths, NUL and control characters, numbers out of range: `Firm.clean_fields`), so the real run
writes exactly the rows the dry run reported. It writes them in one transaction: if a write fails
all the same, nothing of the file is kept and the error names the row.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from seoulhub.core.params import parse_int, strip_controls
from seoulhub.matching.brn import InvalidBRN, validate_brn
from seoulhub.taxonomy.models import District, KsicCode, Technology

from .models import Certification, Firm, RevenueBand, Stage, brn_error

MAX_ROWS = 20_000
EMPLOYEES_MAX = 2_147_483_647  # the column is a PositiveIntegerField
# Header (lower-cased, spaces removed) -> field.
COLUMNS = {
    "name_ko": "name_ko",
    "회사명": "name_ko",
    "기업명": "name_ko",
    "상호": "name_ko",
    "name_en": "name_en",
    "영문명": "name_en",
    "영문회사명": "name_en",
    "brn": "brn",
    "사업자등록번호": "brn",
    "business_registration_number": "brn",
    "stock_code": "stock_code",
    "종목코드": "stock_code",
    "district": "district",
    "구": "district",
    "자치구": "district",
    "province": "province",
    "지역": "province",
    "시도": "province",
    "address": "address",
    "주소": "address",
    "ksic": "ksic",
    "ksic_code": "ksic",
    "업종코드": "ksic",
    "industry": "industry_text",
    "업종": "industry_text",
    "products": "products",
    "주요제품": "products",
    "technologies": "technologies",
    "기술": "technologies",
    "founded_on": "founded_on",
    "설립일": "founded_on",
    "listed_on": "listed_on",
    "상장일": "listed_on",
    "employees": "employees",
    "종업원수": "employees",
    "직원수": "employees",
    "revenue_band": "revenue_band",
    "매출구간": "revenue_band",
    "stage": "stage",
    "단계": "stage",
    "certifications": "certifications",
    "인증": "certifications",
    "website": "website",
    "홈페이지": "website",
}
_NORMALISE = re.compile(r"[\s·,;\.]")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, no name column)."""


@dataclass
class RowResult:
    row: int  # 1-based data row; the header is row 0... reported as spreadsheet line row + 1
    name: str
    action: str  # "create", "update", "unchanged", "rejected"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    results: list[RowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.results)

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.results if r.action == "rejected"]

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged", "rejected")}


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as {field: text} from CSV (UTF-8 or CP949) or XLSX bytes."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a non-xlsx file
            raise ImportFileError(
                _("%(file)s: not a readable XLSX file (%(reason)s)")
                % {"file": filename, "reason": exc.__class__.__name__}
            ) from exc
        sheet = book.worksheets[0]
        table = [
            [
                ""
                if v is None
                else (v.isoformat()[:10] if isinstance(v, (datetime.date, datetime.datetime)) else str(v))
                for v in row
            ]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("%(file)s: text is neither UTF-8 nor CP949") % {"file": filename})
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise ImportFileError(_("%(file)s: only .csv and .xlsx files can be imported") % {"file": filename})
    if not table:
        raise ImportFileError(_("%(file)s: the file is empty") % {"file": filename})
    header = [COLUMNS.get(_NORMALISE.sub("", h).lower()) or COLUMNS.get(_NORMALISE.sub("", h)) for h in table[0]]
    if "name_ko" not in header:
        raise ImportFileError(_("%(file)s: no firm name column (name_ko or 회사명) in the header") % {"file": filename})
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("%(file)s: %(rows)s rows; at most %(limit)s per file")
            % {"file": filename, "rows": len(table) - 1, "limit": MAX_ROWS}
        )
    rows = []
    for values in table[1:]:
        if not any(str(v).strip() for v in values):
            continue
        # Control characters (NUL among them) are dropped at input: they mean nothing in a firm's
        # data, PostgreSQL cannot store NUL and XLSX exports cannot hold them.
        rows.append({f: strip_controls(str(v)).strip() for f, v in zip(header, values) if f})
    return rows


class _Lookups:
    """Reference data loaded once per import."""

    def __init__(self):
        self.districts = {}
        for d in District.objects.all():
            for key in (d.name_ko, d.name_en.lower(), d.adm_code, d.kostat_code):
                self.districts[key] = d
        self.ksic10 = {k.code: k for k in KsicCode.objects.filter(revision="10")}
        self.ksic10_by_name: dict[str, KsicCode] = {}
        for k in sorted(self.ksic10.values(), key=lambda k: (k.level, k.code)):
            self.ksic10_by_name.setdefault(_NORMALISE.sub("", k.name), k)
        self.ksic9_by_name: dict[str, str] = {}
        for k in KsicCode.objects.filter(revision="9").order_by("level", "code"):
            self.ksic9_by_name.setdefault(_NORMALISE.sub("", k.name), k.code)
        self.technologies = {}
        for t in Technology.objects.filter(active=True):
            for key in (t.slug, t.name_ko, t.name_en.lower()):
                self.technologies[key] = t

    def ksic_for_name(self, name: str) -> KsicCode | None:
        """KSIC rev. 10 code for a class name: exact (ignoring spaces/punctuation), else the rev. 9
        name at the same code when rev. 10 kept that code. None rather than a guess."""
        key = _NORMALISE.sub("", name)
        if key in self.ksic10_by_name:
            return self.ksic10_by_name[key]
        code9 = self.ksic9_by_name.get(key)
        return self.ksic10.get(code9) if code9 else None


def _date(text: str, label: str, errors: list[str]) -> datetime.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    errors.append(_("%(label)s '%(value)s' is not a date (use YYYY-MM-DD)") % {"label": label, "value": text})
    return None


def clean_website(text: str) -> str:
    """Repair the common slips of exported lists: several addresses ("a.kr,b.com" -> the first),
    doubled schemes ("http://https://x"), an extra slash ("http:///x"), a missing scheme."""
    tokens = [t for t in re.split(r"[,\s]+", text.strip()) if re.sub(r"^(?:https?:/*)+", "", t)]
    if not tokens:
        return ""
    text = tokens[0]
    text = re.sub(r"^(?:https?:/*)+(?=https?:/)", "", text)  # doubled scheme: keep the last
    match = re.match(r"^(https?):/*", text)
    return f"{match.group(1)}://{text[match.end() :]}" if match else "http://" + text.lstrip("/")


def clean_row(row: dict[str, str], lookups: _Lookups) -> tuple[dict, list, list[str]]:
    """(field values, technologies, errors) for one row."""
    errors: list[str] = []
    values: dict = {"name_ko": row.get("name_ko", ""), "name_en": row.get("name_en", "")}
    if not values["name_ko"]:
        errors.append(_("firm name (name_ko / 회사명) is empty"))
    values["brn"] = None
    if row.get("brn"):
        try:
            values["brn"] = validate_brn(row["brn"])
        except InvalidBRN as exc:
            errors += brn_error(exc).messages
    values["stock_code"] = row.get("stock_code") or None
    if values["stock_code"] and not re.fullmatch(r"[0-9A-Z]{6}", values["stock_code"]):
        errors.append(_("stock code '%(value)s' must be 6 letters or digits") % {"value": values["stock_code"]})
    values["province"] = row.get("province", "")
    values["district"] = None
    if row.get("district"):
        values["district"] = lookups.districts.get(row["district"]) or lookups.districts.get(row["district"].lower())
        if values["district"] is None:
            errors.append(_("district '%(value)s' is not one of Seoul's 25 gu") % {"value": row["district"]})
        elif not values["province"]:
            values["province"] = "서울특별시"
    values["address"] = row.get("address", "")
    values["industry_text"] = row.get("industry_text", "")
    values["ksic"] = None
    if row.get("ksic"):
        values["ksic"] = lookups.ksic10.get(row["ksic"])
        if values["ksic"] is None:
            errors.append(_("KSIC code '%(value)s' is not a KSIC rev. 10 code") % {"value": row["ksic"]})
    elif values["industry_text"]:
        values["ksic"] = lookups.ksic_for_name(values["industry_text"])  # None is fine: kept as text
    values["products"] = row.get("products", "")
    values["founded_on"] = _date(row.get("founded_on", ""), _("founding date"), errors)
    values["listed_on"] = _date(row.get("listed_on", ""), _("listing date"), errors)
    values["employees"] = None
    if row.get("employees"):
        text = row["employees"].replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        values["employees"] = parse_int(text, minimum=0, maximum=EMPLOYEES_MAX)
        if values["employees"] is None:
            errors.append(
                _("employees '%(value)s' is not a whole number from 0 to %(limit)s")
                % {"value": row["employees"], "limit": f"{EMPLOYEES_MAX:,}"}
            )
    values["revenue_band"] = row.get("revenue_band", "")
    if values["revenue_band"] and values["revenue_band"] not in RevenueBand.values:
        errors.append(
            _("revenue band '%(value)s' is not one of %(choices)s")
            % {"value": values["revenue_band"], "choices": ", ".join(RevenueBand.values)}
        )
    values["stage"] = row.get("stage", "")
    if values["stage"] and values["stage"] not in Stage.values:
        errors.append(
            _("stage '%(value)s' is not one of %(choices)s")
            % {"value": values["stage"], "choices": ", ".join(Stage.values)}
        )
    certs = [c.strip().lower() for c in re.split(r"[,;/]", row.get("certifications", "")) if c.strip()]
    unknown = [c for c in certs if c not in Certification.values]
    if unknown:
        errors.append(
            _("unknown certification(s) %(values)s; known: %(choices)s")
            % {"values": ", ".join(unknown), "choices": ", ".join(Certification.values)}
        )
    values["certifications"] = sorted(set(certs) - set(unknown))
    website = clean_website(row.get("website", ""))
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            errors.append(_("website '%(value)s' is not a web address") % {"value": row["website"]})
            website = ""
    values["website"] = website
    technologies = []
    for term in filter(None, (t.strip() for t in re.split(r"[,;]", row.get("technologies", "")))):
        tech = lookups.technologies.get(term) or lookups.technologies.get(term.lower())
        if tech is None:
            errors.append(_("technology '%(value)s' is not in the taxonomy") % {"value": term})
        else:
            technologies.append(tech)
    if not values["brn"] and not values["stock_code"] and not errors:
        errors.append(_("needs a business registration number or a stock code to identify the firm"))
    if not errors:
        errors += _database_refusals(values)
    return values, technologies, errors


def _database_refusals(values: dict) -> list[str]:
    """What the database would refuse in these values (lengths, ranges, formats), in words."""
    try:
        Firm(**values).clean_fields()
    except ValidationError as exc:
        return [
            f"{Firm._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        ]
    return []


def import_firms(
    rows: list[dict[str, str]], dry_run: bool = False, source: str = Firm.Source.IMPORT, source_ref: str = ""
) -> tuple[ImportReport, list[Firm]]:
    """Validate every row; unless dry_run, create or update the valid ones, all in one transaction.
    Returns the report and the firms created or updated. Raises ImportFileError, having written
    nothing, if a write fails."""
    lookups = _Lookups()
    report = ImportReport(dry_run=dry_run)
    changed: list[Firm] = []
    writes: list[tuple[int, Firm | None, dict, list]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=1):
        values, technologies, errors = clean_row(row, lookups)
        name = values["name_ko"] or "?"
        for key in ("brn", "stock_code"):
            if values[key]:
                if (key, values[key]) in seen:
                    errors.append(
                        _("%(field)s %(value)s repeats row %(row)s")
                        % {"field": key, "value": values[key], "row": seen[(key, values[key])]}
                    )
                else:
                    seen[(key, values[key])] = number
        existing = None
        if not errors:
            by_brn = Firm.objects.filter(brn=values["brn"]).first() if values["brn"] else None
            by_code = Firm.objects.filter(stock_code=values["stock_code"]).first() if values["stock_code"] else None
            if by_brn and by_code and by_brn.pk != by_code.pk:
                errors.append(
                    _("registration number belongs to '%(brn_firm)s' but the stock code to '%(code_firm)s'")
                    % {"brn_firm": by_brn.name_ko, "code_firm": by_code.name_ko}
                )
            existing = by_brn or by_code
            if existing and by_brn and existing.name_ko != values["name_ko"] and not by_code:
                errors.append(
                    _("business registration number %(brn)s is already registered to '%(firm)s'")
                    % {"brn": values["brn"], "firm": existing.name_ko}
                )
        if errors:
            report.results.append(RowResult(number, name, "rejected", errors))
            continue
        if existing is None:
            action = "create"
        else:
            differs = any(
                getattr(existing, f if f not in ("district", "ksic") else f + "_id")
                != (v.pk if f in ("district", "ksic") and v is not None else v)
                for f, v in values.items()
            )
            action = "update" if differs else "unchanged"
        report.results.append(RowResult(number, name, action))
        if action != "unchanged":
            writes.append((number, existing, values, technologies))
    if dry_run:
        return report, changed
    number = 0
    try:
        with transaction.atomic():
            for number, existing, values, technologies in writes:
                firm = existing or Firm(source=source, source_ref=source_ref)
                for key, value in values.items():
                    setattr(firm, key, value)
                if existing is None:
                    firm.provenance = f"{source_ref or 'import'} row {number}"
                firm.save()
                if technologies:
                    firm.technologies.add(*technologies)
                changed.append(firm)
    except (DatabaseError, ValidationError, ValueError, OverflowError) as exc:
        raise ImportFileError(
            _("row %(row)s could not be written (%(reason)s); nothing from this file was imported")
            % {"row": number, "reason": f"{exc.__class__.__name__}: {exc}"}
        ) from exc
    return report, changed
