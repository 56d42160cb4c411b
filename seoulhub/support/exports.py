"""CSV/XLSX export of firms and programmes, and iCalendar feeds of application deadlines."""

from __future__ import annotations

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone

from seoulhub.core.params import strip_controls

FIRM_COLUMNS = [
    "id",
    "name_ko",
    "name_en",
    "brn",
    "stock_code",
    "district",
    "province",
    "address",
    "ksic",
    "industry",
    "products",
    "technologies",
    "founded_on",
    "listed_on",
    "employees",
    "revenue_band",
    "stage",
    "certifications",
    "website",
    "source",
]
PROGRAMME_COLUMNS = [
    "id",
    "title",
    "agency",
    "ministry",
    "kind",
    "support_field",
    "target",
    "opens_on",
    "closes_on",
    "rolling",
    "status",
    "period_text",
    "amount_krw",
    "technologies",
    "rules",
    "url",
    "source_id",
]


def firm_rows(firms, show_brn: bool) -> list[list]:
    rows = []
    for f in firms:
        rows.append(
            [
                f.pk,
                f.name_ko,
                f.name_en,
                f.brn_display if show_brn else "",
                f.stock_code or "",
                f.district.name_ko if f.district_id else "",
                f.province,
                f.address,
                f.ksic.code if f.ksic_id else "",
                f.industry_text,
                f.products,
                ", ".join(sorted(t.slug for t in f.technologies.all())),
                f.founded_on or "",
                f.listed_on or "",
                "" if f.employees is None else f.employees,
                f.revenue_band,
                f.stage,
                ", ".join(f.certifications or []),
                f.website,
                f.source,
            ]
        )
    return rows


def programme_rows(programmes) -> list[list]:
    from .services import window_status

    rows = []
    for p in programmes:
        rules = " | ".join(r.source_text or r.kind for r in p.rules.all())
        rows.append(
            [
                p.pk,
                p.title,
                p.agency,
                p.ministry,
                p.kind,
                p.support_field,
                p.target_text,
                p.opens_on or "",
                p.closes_on or "",
                p.rolling,
                window_status(p),
                p.period_text,
                "" if p.amount_krw is None else p.amount_krw,
                ", ".join(sorted(t.slug for t in p.technologies.all())),
                rules,
                p.url,
                p.source_id or "",
            ]
        )
    return rows


# Spreadsheet programs read a cell starting with one of these as a formula (a leading tab or
# carriage return is skipped and the formula after it still runs).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """Text stays text: control characters are dropped (XLSX cannot hold them; a firm's name with
    one made the whole export fail) and a formula-like start is quoted."""
    if isinstance(value, str):
        value = strip_controls(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def table_response(name: str, columns: list[str], rows: list[list], fmt: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append([_safe_cell(v if not isinstance(v, (datetime.date,)) else v.isoformat()) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the Korean text as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([[_safe_cell(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def deadline_calendar(programmes, name: str, base_url: str) -> bytes:
    """An iCalendar with one all-day event on each programme's closing date."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Seoul Digital Hub//support deadlines//KO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for p in programmes:
        if p.closes_on is None:
            continue
        event = Event()
        event.add("uid", f"programme-{p.pk}-deadline@seoulhub")
        event.add("dtstamp", stamp)
        event.add("summary", f"마감: {p.title}")
        event.add("dtstart", p.closes_on)
        event.add("dtend", p.closes_on + datetime.timedelta(days=1))
        detail_url = base_url + p.get_absolute_url()
        event.add("url", detail_url)
        event.add("description", "\n".join(filter(None, [p.agency, p.period_text, p.url, detail_url])))
        calendar.add_component(event)
    return calendar.to_ical()
