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
from seoulhub.core.params import parse_int
from seoulhub.taxonomy.models import District

from . import analysis, maps
from .models import DigitalSector, IndustryStat, Policy, StatImport
from .portfolio import portfolio
from .sectors import partial_codes


def _int_or_none(text: str | None) -> int | None:
    return parse_int(text, minimum=0)  # "²" or a 20-digit year: no year filter


def table_from_request(request) -> analysis.IndicatorTable:
    return analysis.indicator_table(
        source=request.GET.get("source") or None, year=_int_or_none(request.GET.get("year")),
        sector=request.GET.get("sector") or analysis.ALL_DIGITAL, measure=request.GET.get("measure") or "establishments")


def _value_labels() -> dict[str, str]:
    return {"count": _("count"), "share_of_seoul": _("share of Seoul"),
            "location_quotient": _("location quotient"), "growth": _("growth rate")}


@require_GET
def index(request):
    table = table_from_request(request)
    value = request.GET.get("value", "count")
    labels = _value_labels()
    value = value if value in labels else "count"
    source_label = _("imported statistics") if table.source == analysis.STATS else _("the hub's firm registry")
    title = f"{table.sector_label} · {labels[value]}" + (f" · {table.year}" if table.year else "")
    map_html = maps.choropleth_html(table.rows, value, title, labels[value])
    context = {
        "table": table, "map_html": map_html, "value": value, "value_labels": labels,
        "sector_choices": analysis.sector_choices(table.source), "years": analysis.stat_years(),
        "has_stats": IndustryStat.objects.exists(), "source_label": source_label,
        "latest_import": StatImport.objects.first(), "query": request.GET.urlencode(),
        "is_official": has_role(request.user, Role.OFFICIAL),
    }
    return render(request, "observatory/index.html", context)


def _district(code: str) -> District:
    district = analysis.find_district(code)
    if district is None:
        raise Http404(_("No Seoul district has the code or name %(code)s.") % {"code": code})
    return district


def district_profile_data(district: District, source: str | None = None, year: int | None = None,
                          measure: str = "establishments") -> dict:
    """Every sector's indicators for one district (shared by the page and the API)."""
    cache: dict = {}
    sectors = analysis.sector_choices(source or analysis.default_source())
    rows = []
    table = None
    for key, label in sectors:
        table = analysis.indicator_table(source=source, year=year, sector=key, measure=measure, cache=cache)
        row = table.by_code()[district.adm_code]
        rows.append({"sector": key, "sector_label": label, **{k: row[k] for k in (
            "count", "share_of_seoul", "growth", "annual_growth", "location_quotient", "rank", "total", "incomplete")}})
    return {"district": district, "cache": cache, "source": table.source if table else source, "year": table.year if table else None,
            "previous_year": table.previous_year if table else None, "measure": table.measure if table else measure,
            "note": table.note if table else "", "sectors": rows}


@require_GET
def district_detail(request, code: str):
    district = _district(code)
    profile = district_profile_data(district, request.GET.get("source") or None, _int_or_none(request.GET.get("year")),
                                    request.GET.get("measure") or "establishments")
    history = []
    if profile["source"] == analysis.STATS:
        for year in analysis.stat_years():
            counts, _totals, _incomplete = analysis.stat_counts(year, analysis.ALL_DIGITAL, profile["measure"], profile["cache"])
            history.append((str(year), counts.get(district.pk)))
    chart = maps.bar_html([y for y, v in history if v is not None], [v for y, v in history if v is not None],
                          _("Digital industry over the years"), "district-history") if len(history) > 1 else ""
    firms = []
    try:
        from django.apps import apps

        firms = list(apps.get_model("support", "Firm").objects.filter(district=district).order_by("name_ko")[:50])
    except LookupError:
        pass
    return render(request, "observatory/district_detail.html",
                  {**profile, "chart": chart, "firms": firms, "districts": District.objects.order_by("name_ko")})


@require_GET
def definition(request):
    sectors = []
    for sector in DigitalSector.objects.prefetch_related("codes").filter(active=True):
        codes = list(sector.codes.all())
        sectors.append({"sector": sector, "rev10": [c for c in codes if c.revision == "10"],
                        "rev9": [c for c in codes if c.revision == "9"], "partial": partial_codes(sector)})
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
    top = sorted([r for r in table.rows if r["count"] is not None], key=lambda r: -r["count"])[:5]
    return render(request, "observatory/dashboard.html", {
        "groups": portfolio(), "table": table, "top": top, "imports": StatImport.objects.all()[:10],
        "policy_count": Policy.objects.count(), "month": timezone.localdate().strftime("%Y-%m"),
    })


@require_GET
def monthly_report(request, month: str | None = None):
    _require_official(request)
    today = timezone.localdate()
    try:
        first = datetime.date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        raise Http404(_("A report month looks like 2026-11.")) from None
    if first > today:
        raise Http404(_("There is no report for a month that has not begun."))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    cutoff = min(timezone.now(), timezone.make_aware(datetime.datetime.combine(last, datetime.time.max)))
    table = analysis.indicator_table()
    top = sorted([r for r in table.rows if r["count"] is not None], key=lambda r: -r["count"])[:10]
    imports = StatImport.objects.filter(created_at__date__gte=first, created_at__date__lte=last)
    return render(request, "observatory/report.html", {
        "first": first, "last": last, "cutoff": cutoff, "groups": portfolio(cutoff), "table": table, "top": top,
        "imports": imports, "generated": timezone.now(),
        "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + datetime.timedelta(days=1)).strftime("%Y-%m") if last < today else None,
    })


EXPORT_COLUMNS = ["adm_code", "kostat_code", "name_ko", "name_en", "count", "total", "share_of_seoul", "growth",
                  "annual_growth", "location_quotient", "rank", "incomplete"]


def _export_header(table: analysis.IndicatorTable) -> list[str]:
    source = "imported statistics" if table.source == analysis.STATS else "Seoul Digital Hub firm registry (not official statistics)"
    return [f"source: {source}", f"sector: {table.sector} ({table.sector_label})", f"measure: {table.measure}",
            f"year: {table.year or '-'}", f"growth compared with: {table.previous_year or '-'}"]


@require_GET
def export_csv(request):
    table = table_from_request(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _export_header(table):
        writer.writerow([f"# {line}"])
    writer.writerow(EXPORT_COLUMNS)
    for row in table.rows:
        writer.writerow(["" if row[c] is None else row[c] for c in EXPORT_COLUMNS])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seoul-digital-industry-{table.source}-{table.year or "registry"}.csv"'
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
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="seoul-digital-industry-{table.source}-{table.year or "registry"}.xlsx"'
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
            error = _("The file is larger than %(mb)s MB.") % {"mb": settings.SEOULHUB_MAX_UPLOAD_BYTES // (1024 * 1024)}
        else:
            try:
                report = import_stats(upload.read(), upload.name, dry_run=bool(request.POST.get("dry_run")),
                                      user=request.user, source=request.POST.get("source", "")[:300] or upload.name)
            except LayoutError as exc:
                error = str(exc)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "observatory/import.html", {"report": report, "error": error},
                  status=400 if error else 200)
