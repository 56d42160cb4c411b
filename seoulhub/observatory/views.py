import calendar
import csv
import datetime
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seoulhub.accounts.roles import Role, has_role
from seoulhub.core import clock

from seoulhub.core.params import parse_int
from seoulhub.taxonomy.models import District

from . import analysis, maps
from .kpis import REGISTRY, compute
from .models import KPI, DigitalSector, IndustryStat, Policy, StatImport
from .portfolio import portfolio
from .sectors import partial_codes


def _int_or_none(text: str | None) -> int | None:
    return parse_int(text, minimum=0)  # "²" or a 20-digit year: no year filter


def table_from_request(request) -> analysis.IndicatorTable:
    return analysis.indicator_table(
        source=request.GET.get("source") or None,
        year=_int_or_none(request.GET.get("year")),
        sector=request.GET.get("sector") or analysis.ALL_DIGITAL,
        measure=request.GET.get("measure") or "establishments",
    )


def _value_labels() -> dict[str, str]:
    return {
        "count": _("count"),
        "share_of_seoul": _("share of Seoul"),
        "location_quotient": _("location quotient"),
        "growth": _("growth rate"),
    }


@require_GET
def index(request):
    table = table_from_request(request)
    value = request.GET.get("value", "count")
    labels = _value_labels()
    value = value if value in labels else "count"
    source_label = _("imported statistics") if table.source == analysis.STATS else _("the hub's firm registry")
    title = f"{table.sector_label} · {labels[value]}" + (f" · {table.year}" if table.year else "")
    # No map of nothing: without a single value (or below the registry minimum) the page says why instead.
    has_values = any(row[value] is not None for row in table.rows)
    map_html = maps.choropleth_html(table.rows, value, labels[value]) if has_values and not table.too_few else ""
    context = {
        "table": table,
        "map_html": map_html,
        "map_title": title,
        "value": value,
        "value_labels": labels,
        "sector_choices": [
            (key, table.sector_label if key == table.sector and table.proxy else label)
            for key, label in analysis.sector_choices(table.source)
        ],
        "has_values": has_values,
        "has_stats": IndustryStat.objects.exists(),
        "source_label": source_label,
        "latest_import": StatImport.objects.first(),
        "query": request.GET.urlencode(),
        "is_official": has_role(request.user, Role.OFFICIAL),
    }
    return render(request, "observatory/index.html", context)


def _district(code: str) -> District:
    district = analysis.find_district(code)
    if district is None:
        raise Http404(_("No Seoul district has the code or name %(code)s.") % {"code": code})
    return district


def district_profile_data(
    district: District, source: str | None = None, year: int | None = None, measure: str = "establishments"
) -> dict:
    """Every sector's indicators for one district (shared by the page and the API)."""
    cache: dict = {}
    sectors = analysis.sector_choices(source or analysis.default_source())
    rows = []
    tables = []
    for key, label in sectors:
        table = analysis.indicator_table(source=source, year=year, sector=key, measure=measure, cache=cache)
        tables.append(table)
        if table.source == analysis.STATS and table.year is None:
            continue  # no figures for this sector and measure
        row = table.by_code()[district.adm_code]
        rows.append(
            {
                "sector": key,
                "sector_label": table.sector_label if table.proxy else label,
                "year": table.year,
                "previous_year": table.previous_year,
                "series_break": table.series_break,
                **{
                    k: row[k]
                    for k in (
                        "count",
                        "share_of_seoul",
                        "growth",
                        "annual_growth",
                        "location_quotient",
                        "rank",
                        "total",
                        "incomplete",
                    )
                },
            }
        )
    main = tables[0] if tables else None  # the digital industry: its source note heads the page
    return {
        "district": district,
        "cache": cache,
        "table": main,
        "source": main.source if main else source,
        "year": main.year if main else None,
        "previous_year": main.previous_year if main else None,
        "measure": main.measure if main else measure,
        "note": main.note if main else "",
        "sectors": rows,
    }


@require_GET
def district_detail(request, code: str):
    district = _district(code)
    profile = district_profile_data(
        district,
        request.GET.get("source") or None,
        _int_or_none(request.GET.get("year")),
        request.GET.get("measure") or "establishments",
    )
    history = []
    measure = profile["measure"] if profile["measure"] in analysis.MEASURES else "establishments"
    if profile["source"] == analysis.STATS:
        years, _proxied = analysis.sector_years(analysis.ALL_INDUSTRIES, measure, profile["cache"])
        for year in years:
            counts, _totals, _incomplete = analysis.stat_counts(
                year, analysis.ALL_INDUSTRIES, measure, profile["cache"]
            )
            if counts.get(district.pk) is not None:
                history.append((str(year), counts[district.pk]))
    title = (
        _("All industries over the years: establishments")
        if measure == "establishments"
        else _("All industries over the years: workers")
    )
    chart = (
        maps.bar_html([y for y, v in history], [v for y, v in history], title, "district-history")
        if len(history) > 1
        else ""
    )
    crosses_break = (
        any(int(y) < analysis.SURVEY_BREAK_YEAR for y, v in history)
        and any(int(y) >= analysis.SURVEY_BREAK_YEAR for y, v in history)
        or any(r["series_break"] for r in profile["sectors"])
    )
    firms = []
    try:
        from django.apps import apps

        firms = list(apps.get_model("support", "Firm").objects.filter(district=district).order_by("name_ko")[:50])
    except LookupError:
        pass
    return render(
        request,
        "observatory/district_detail.html",
        {
            **profile,
            "chart": chart,
            "crosses_break": crosses_break,
            "firms": firms,
            "districts": District.objects.order_by("name_ko"),
        },
    )


@require_GET
def definition(request):
    sectors = []
    for sector in DigitalSector.objects.prefetch_related("codes").filter(active=True):
        codes = list(sector.codes.all())
        sectors.append(
            {
                "sector": sector,
                "rev10": [c for c in codes if c.revision == "10"],
                "rev9": [c for c in codes if c.revision == "9"],
                "partial": partial_codes(sector),
            }
        )
    from seoulhub.taxonomy.models import KsicCode

    names = {(k.revision, k.code): k.name for k in KsicCode.objects.filter(level__lte=3)}
    for entry in sectors:
        for code in entry["rev10"] + entry["rev9"]:
            code.label = names.get((code.revision, code.code), "")
    return render(request, "observatory/definition.html", {"sectors": sectors})


@require_GET
def policies(request):
    return render(request, "observatory/policies.html", {"groups": portfolio()})


def _require_official(request):
    if not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied(_("This page is for city officials: sign in with an official account."))


@require_GET
def dashboard(request):
    _require_official(request)
    table = analysis.indicator_table()
    top = (
        []
        if table.too_few
        else sorted([r for r in table.rows if r["count"] is not None], key=lambda r: -r["count"])[:5]
    )
    return render(
        request,
        "observatory/dashboard.html",
        {
            "groups": portfolio(),
            "table": table,
            "top": top,
            "imports": StatImport.objects.all()[:10],
            "policy_count": Policy.objects.count(),
            "month": clock.today().strftime("%Y-%m"),
        },
    )


def _month_end(day: datetime.date) -> datetime.datetime:
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))


def live_kpi_changes(cutoff: datetime.datetime, previous_cutoff: datetime.datetime) -> list[dict]:
    """Each live computation of the portfolio at the month's cut-off and at the previous month's end."""
    names = list(
        dict.fromkeys(
            KPI.objects.exclude(computation="").order_by("role__order", "order").values_list("computation", flat=True)
        )
    )
    rows = []
    for name in names:
        entry = REGISTRY.get(name)
        if entry is None:
            continue
        now, before = compute(name, cutoff), compute(name, previous_cutoff)
        change = None if now.value is None or before.value is None else now.value - before.value
        rows.append(
            {
                "name": name,
                "label": entry.label,
                "unit": entry.unit,
                "value": now.value,
                "previous": before.value,
                "change": change,
                "note": now.note or before.note,
            }
        )
    return rows


@require_GET
def monthly_report(request, month: str | None = None):
    _require_official(request)
    today = clock.today()
    try:
        first = datetime.date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        raise Http404(_("A report month looks like 2026-11.")) from None
    if first > today:
        raise Http404(_("There is no report for a month that has not begun."))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    cutoff = min(clock.now(), _month_end(first))
    previous_last = first - datetime.timedelta(days=1)
    changes = live_kpi_changes(cutoff, _month_end(previous_last))
    table = analysis.indicator_table()
    top = (
        []
        if table.too_few
        else sorted([r for r in table.rows if r["count"] is not None], key=lambda r: -r["count"])[:10]
    )
    shift = timezone.localdate() - today  # imports are stamped on the real clock (see kpis.recorded_by)
    imports = StatImport.objects.filter(created_at__date__gte=first + shift, created_at__date__lte=last + shift)
    has_values = any(row["count"] is not None for row in table.rows)
    map_html = chart_html = kpi_chart = ""
    if has_values and not table.too_few:
        map_html = maps.choropleth_html(table.rows, "share_of_seoul", _("share of Seoul"), div_id="report-map")
        chart_html = maps.bar_html(
            [r["name"] for r in top],
            [r["count"] for r in top],
            _("Districts with the most: %(what)s") % {"what": table.sector_label},
            "report-top",
        )
    charted = [c for c in changes if c["value"] is not None and c["previous"] is not None]
    if any(c["value"] or c["previous"] for c in charted):  # a chart of zeros shows nothing
        kpi_chart = maps.grouped_bar_html(
            [str(c["label"]) for c in charted],
            {
                previous_last.strftime("%Y-%m"): [c["previous"] for c in charted],
                first.strftime("%Y-%m"): [c["value"] for c in charted],
            },
            _("Live KPIs: this month and the month before"),
            "report-kpis",
        )
    return render(
        request,
        "observatory/report.html",
        {
            "first": first,
            "last": last,
            "cutoff": cutoff,
            "groups": portfolio(cutoff),
            "table": table,
            "top": top,
            "imports": imports,
            "generated": timezone.now(),
            "changes": changes,
            "previous_month": previous_last,
            "map_html": map_html,
            "chart_html": chart_html,
            "kpi_chart": kpi_chart,
            "previous": previous_last.strftime("%Y-%m"),
            "next": (last + datetime.timedelta(days=1)).strftime("%Y-%m") if last < today else None,
        },
    )


EXPORT_COLUMNS = [
    "adm_code",
    "kostat_code",
    "name_ko",
    "name_en",
    "count",
    "total",
    "share_of_seoul",
    "growth",
    "annual_growth",
    "location_quotient",
    "rank",
    "incomplete",
]


def _export_header(table: analysis.IndicatorTable) -> list[str]:
    source = (
        "imported statistics"
        if table.source == analysis.STATS
        else "Seoul Digital Hub firm registry (not official statistics)"
    )
    lines = [
        f"source: {source}",
        f"sector: {table.sector} ({table.sector_label})",
        f"measure: {table.measure}",
        f"year: {table.year or '-'}",
        f"growth compared with: {table.previous_year or '-'}",
    ]
    note = analysis.plain_note(table)
    return lines + ([f"notes: {note}"] if note else [])


@require_GET
def export_csv(request):
    table = table_from_request(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _export_header(table):  # comment lines, written raw so that each starts with "#"
        buffer.write("# " + " ".join(line.split()) + "\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in table.rows:
        writer.writerow(["" if row[c] is None else row[c] for c in EXPORT_COLUMNS])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="seoul-digital-industry-{table.source}-{table.year or "registry"}.csv"'
    )
    return response


@require_GET
def export_xlsx(request):
    from openpyxl import Workbook

    table = table_from_request(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "districts"
    sheet.append(EXPORT_COLUMNS)
    for row in table.rows:
        sheet.append([row[c] for c in EXPORT_COLUMNS])
    about = workbook.create_sheet("about")
    for line in _export_header(table):
        about.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="seoul-digital-industry-{table.source}-{table.year or "registry"}.xlsx"'
    )
    return response


def import_statistics(request):
    """Officials upload a statistics file: check it (dry run) or import it, and see every
    rejected row with its reason."""
    _require_official(request)
    from django.conf import settings
    from .importer import LayoutError, import_stats

    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV file to import.")
        elif upload.size > settings.SEOULHUB_MAX_UPLOAD_BYTES:
            error = _("The file is larger than %(mb)s MB.") % {
                "mb": settings.SEOULHUB_MAX_UPLOAD_BYTES // (1024 * 1024)
            }
        else:
            try:
                report = import_stats(
                    upload.read(),
                    upload.name,
                    dry_run=bool(request.POST.get("dry_run")),
                    user=request.user,
                    source=request.POST.get("source", "")[:300] or upload.name,
                )
            except LayoutError as exc:
                error = str(exc)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "observatory/import.html", {"report": report, "error": error}, status=400 if error else 200)
