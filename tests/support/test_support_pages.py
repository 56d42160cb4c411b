"""Support pages: catalogue, am-I-eligible, firm dashboard, operator views, import upload,
iCalendar feeds and CSV/XLSX exports."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from seoulhub.support.models import Firm, Programme
from seoulhub.support.services import window_status

pytestmark = pytest.mark.django_db


def test_catalogue_shows_real_2021_programmes_as_closed_and_filters_open(client, programmes):
    response = client.get("/support/programmes/")
    assert {p.status for p in response.context["page"]} <= {"closed", "stale", "unknown"}
    assert "closed" in {window_status(p) for p in Programme.objects.all()}
    assert "기업마당" in response.content.decode()  # the source is named
    only_open = client.get("/support/programmes/", {"open": "true"})
    assert only_open.context["page"].paginator.count == 0


def test_am_i_eligible_shows_each_rule_verdict_for_the_members_firm(client, programmes, member_firm, firm_member):
    programme = Programme.objects.filter(rules__kind="region", rules__params__nationwide=True).order_by("pk").first()
    client.force_login(firm_member)
    page = client.get(f"/support/programmes/{programme.pk}/").content.decode()
    assert "전국 대상 ✓" in page and member_firm.name_ko in page


def test_a_programme_without_summary_or_rules_says_so_and_asks_for_a_check(client, member_firm, firm_member):
    programme = Programme.objects.create(
        title="조건을 읽지 못한 공고", url="https://www.bizinfo.go.kr/x?id=" + "9" * 80
    )
    client.force_login(firm_member)
    page = client.get(f"/support/programmes/{programme.pk}/").content.decode()
    assert "공고에 개요가 없습니다" in page
    assert "공고에서 신청 조건을 읽지 못했습니다" in page and "신청 가능" not in page


def test_am_i_eligible_asks_anonymous_visitors_to_sign_in(client, programmes):
    programme = Programme.objects.first()
    page = client.get(f"/support/programmes/{programme.pk}/").content.decode()
    assert "/accounts/login/?next=" in page


def test_firm_dashboard_hides_closed_calls_until_asked(client, programmes, member_firm, firm_member):
    client.force_login(firm_member)
    assert client.get("/support/firms/mine/")["Location"] == f"/support/firms/{member_firm.pk}/dashboard/"
    default = client.get(f"/support/firms/{member_firm.pk}/dashboard/")
    assert default.context["total"] == 0
    explored = client.get(f"/support/firms/{member_firm.pk}/dashboard/", {"closed": "1"})
    assert explored.context["total"] > 0
    first_programme, first_match = explored.context["page"][0]
    assert first_match.status in ("eligible", "needs_check")
    assert first_match.verdicts[0].text_ko in explored.content.decode()


def test_operator_view_lists_qualifying_firms_and_refuses_others(
    client, programmes, member_firm, operator, firm_member
):
    programme = (
        Programme.objects.filter(rules__kind="region", rules__params__nationwide=True)
        .exclude(rules__kind="ksic")
        .order_by("pk")
        .first()
    )
    client.force_login(firm_member)
    assert client.get(f"/support/programmes/{programme.pk}/firms/").status_code == 403
    client.force_login(operator)
    response = client.get(f"/support/programmes/{programme.pk}/firms/")
    assert response.status_code == 200 and member_firm.name_ko in response.content.decode()


def test_import_upload_dry_run_reports_rows_and_writes_nothing(client, operator):
    client.force_login(operator)
    data = (
        "name_ko,brn,district,employees\n예시 업로드,123-45-67891,마포구,\n예시 오류,123-45-67890,마포구,\n"
        "예시 오류 2,123-45-67881,판교구,열둘\n"
    ).encode()
    response = client.post("/support/firms/import/", {"file": SimpleUploadedFile("f.csv", data), "dry_run": "on"})
    page = response.content.decode()
    # The rejected rows' reasons are Korean on the Korean page.
    assert response.status_code == 200 and "검증번호가 맞지 않습니다" in page
    assert "자치구 &#x27;판교구&#x27;은(는) 서울 25개 구가 아닙니다" in page
    assert "종업원 수 &#x27;열둘&#x27;은(는) 0부터" in page
    assert "is not one of" not in page and "whole number" not in page
    assert Firm.objects.count() == 0
    client.post("/support/firms/import/", {"file": SimpleUploadedFile("f.csv", data)})
    assert list(Firm.objects.values_list("name_ko", flat=True)) == ["예시 업로드"]


def test_import_upload_refuses_large_files_and_non_operators(client, operator, firm_member, settings):
    from seoulhub.support import forms

    client.force_login(firm_member)
    assert client.get("/support/firms/import/").status_code == 403
    client.force_login(operator)
    big = SimpleUploadedFile("f.csv", b"name_ko\n" + b"x\n" * (forms.IMPORT_MAX_BYTES // 2 + 1))
    response = client.post("/support/firms/import/", {"file": big, "dry_run": "on"})
    assert response.context["form"].errors["file"] and Firm.objects.count() == 0
    assert "최대" in response.content.decode()


def test_global_deadline_calendar_has_one_event_per_dated_programme(client, programmes):
    calendar = Calendar.from_ical(client.get("/support/deadlines.ics").content)
    events = [c for c in calendar.walk("VEVENT")]
    dated = Programme.objects.filter(closes_on__isnull=False)
    assert len(events) == dated.count() > 0
    first = dated.order_by("closes_on").first()
    event = next(e for e in events if str(e["uid"]) == f"programme-{first.pk}-deadline@seoulhub")
    assert event.decoded("dtstart") == first.closes_on and first.title in str(event["summary"])


def test_firm_calendar_lists_only_programmes_the_firm_may_apply_to(client, programmes, make_firm):
    firm = make_firm("예시 부산기업", district=None, province="부산광역시")
    calendar = Calendar.from_ical(client.get(f"/support/firms/{firm.pk}/deadlines.ics").content)
    titles = {str(e["summary"]).removeprefix("마감: ") for e in calendar.walk("VEVENT")}
    seoul_only = [
        p.title
        for p in Programme.objects.filter(
            closes_on__isnull=False, rules__kind="region", rules__params__regions=["서울"]
        )
    ]
    assert titles and not titles & set(seoul_only)


def test_exports_in_csv_and_xlsx_carry_the_same_rows(client, programmes):
    text = client.get("/support/programmes/export/", {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    book = openpyxl.load_workbook(io.BytesIO(client.get("/support/programmes/export/", {"format": "xlsx"}).content))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == len(sheet_rows) == 121
    assert rows[0][:3] == ["id", "title", "agency"] and rows[1][1] == sheet_rows[1][1]
    assert client.get("/support/programmes/export/", {"format": "pdf"}).status_code == 404


def test_firm_export_hides_registration_numbers_from_the_public(client, member_firm, official):
    public = client.get("/support/firms/export/").content.decode("utf-8-sig")
    assert member_firm.name_ko in public and "124-81-00998" not in public
    client.force_login(official)
    assert "124-81-00998" in client.get("/support/firms/export/").content.decode("utf-8-sig")


def test_home_card_counts_firms_and_programmes(client, programmes, make_firm):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from seoulhub.support.home import home_card

    make_firm()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    card = home_card(request)
    assert (card["firms"], card["programmes"], card["open"]) == (1, 120, 0)
    assert client.get("/").status_code == 200


def test_firm_list_shows_a_firm_without_industry_code_or_text(client):
    from seoulhub.support.models import Firm

    Firm.objects.create(name_ko="코드없는기업", stock_code="999990")
    response = client.get("/support/firms/")
    assert response.status_code == 200
    assert "코드없는기업" in response.content.decode()


def test_home_card_figures_are_written_with_thousands_separators():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ko"):
        support = render_to_string(
            "support/_home_card.html", {"card": {"firms": 1171, "programmes": 5453, "open": 288}}
        )
        radar = render_to_string("radar/_home_card.html", {"card": {"digital": 37426, "articles": 39506, "sources": 3}})
    assert "기업 1,171곳, 지원사업 5,453건 (현재 접수 중 288건)" in support
    assert "39,506건" in radar and "37,426건" in radar
