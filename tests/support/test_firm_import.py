"""Firm import from CSV/XLSX: dry-run report of every rejected row, idempotent writes, KRX layout."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from seoulhub.support.firm_import import ImportFileError, clean_website, import_firms, read_rows
from seoulhub.support.models import Firm


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

HEADER = "name_ko,brn,district,ksic,founded_on,employees,revenue_band,stage,certifications,technologies,website\n"
# Example rows (not real firms); the registration numbers are made valid with their check digit.
GOOD = "예시 AI 주식회사,123-45-67891,마포구,58221,2021-03-02,12,1b-10b,startup,venture,ai,www.example.kr\n"
ROWS = (
    HEADER
    + GOOD
    + "예시 오류 1,123-45-67890,마포구,,,,,,,,\n"  # wrong check digit
    + "예시 오류 2,123-45-67891,강남구,,,,,,,,\n"  # repeats row 1's number
    + "예시 오류 3,111-11-11119,판교구,99999,2021-13-01,열두명,huge,giant,gold,warp-drive,\n"
    + ",111-11-11119,,,,,,,,,\n"  # no name
    + "예시 오류 4,,,,,,,,,,\n"
)  # no identifier


def test_dry_run_reports_every_rejected_row_with_its_reasons_and_writes_nothing():
    report, changed = import_firms(read_rows(ROWS.encode(), "firms.csv"), dry_run=True)
    assert Firm.objects.count() == 0 and changed == []
    assert report.summary() == {"create": 1, "update": 0, "unchanged": 0, "rejected": 5}
    reasons = {r.row: " | ".join(r.errors) for r in report.rejected}
    assert "check digit" in reasons[2]
    assert "repeats row 1" in reasons[3]
    for words in [
        "판교구",
        "is not one of Seoul's 25 gu",
        "KSIC code '99999'",
        "founding date '2021-13-01'",
        "employees '열두명'",
        "revenue band 'huge'",
        "stage 'giant'",
        "certification(s) gold",
        "technology 'warp-drive'",
    ]:
        assert words in reasons[4], words
    assert "firm name" in reasons[5]
    assert "registration number or a stock code" in reasons[6]


def test_import_creates_valid_rows_and_a_second_run_changes_nothing():
    rows = read_rows(ROWS.encode(), "firms.csv")
    report, changed = import_firms(rows)
    firm = Firm.objects.get()
    assert report.count("create") == 1 and changed == [firm]
    assert (firm.brn, firm.district.name_ko, firm.ksic.code, firm.employees) == ("1234567891", "마포구", "58221", 12)
    assert firm.certifications == ["venture"] and [t.slug for t in firm.technologies.all()] == ["ai"]
    assert firm.website == "http://www.example.kr" and firm.province == "서울특별시"
    again, changed = import_firms(rows)
    assert again.count("unchanged") == 1 and changed == [] and Firm.objects.count() == 1


def test_a_registration_number_of_another_firm_is_refused(make_firm):
    make_firm("예시 기존기업", brn="1234567891")
    report, _ = import_firms(read_rows((HEADER + GOOD).encode(), "firms.csv"))
    assert "already registered to '예시 기존기업'" in report.rejected[0].errors[0]
    assert Firm.objects.count() == 1


def test_xlsx_and_cp949_csv_are_read_like_utf8_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (HEADER + GOOD).strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = read_rows(buffer.getvalue(), "firms.xlsx")
    from_cp949 = read_rows((HEADER + GOOD).encode("cp949"), "firms.csv")
    assert from_xlsx == from_cp949 == read_rows((HEADER + GOOD).encode(), "firms.csv")
    assert from_xlsx[0]["name_ko"] == "예시 AI 주식회사"


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"name_ko\n", "firms.txt", "only .csv and .xlsx"),
        (b"company,x\n", "firms.csv", "no firm name column"),
        (b"\xff\xfe\x00garbage", "firms.xlsx", "not a readable XLSX"),
        (b"", "firms.csv", "empty"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole_with_a_reason(data, name, words):
    with pytest.raises(ImportFileError, match=words):
        read_rows(data, name)


@pytest.mark.slow
def test_real_krx_rows_import_with_ksic_codes_from_class_names(krx_seoul_rows):
    from seoulhub.support.loaders import _csv_bytes

    rows = read_rows(_csv_bytes(krx_seoul_rows), "krx.csv")
    report, _ = import_firms(rows, source=Firm.Source.KRX)
    assert report.count("rejected") == 0, report.rejected[:3]
    assert Firm.objects.count() == 1100
    assert Firm.objects.filter(district__isnull=False).count() == 0  # KRX gives no gu: none invented
    acryl = Firm.objects.get(stock_code="0007C0")
    assert acryl.ksic.code == "582" and acryl.industry_text == "소프트웨어 개발 및 공급업"
    mapped = Firm.objects.filter(ksic__isnull=False).count()
    assert mapped >= 1050, mapped  # the rest keep their industry as text rather than a guessed code


def test_website_slips_in_exported_lists_are_repaired():
    assert clean_website("http:///www.a.co.kr") == "http://www.a.co.kr"
    assert clean_website("http:// http://www.b.co.kr") == "http://www.b.co.kr"
    assert clean_website("http://https://c.kr/x") == "https://c.kr/x"
    assert clean_website("www.d.kr,www.e.com") == "http://www.d.kr"


def test_import_firms_command_dry_run_prints_rejections_and_writes_nothing(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(ROWS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_firms", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "row 2 (예시 오류 1): rejected" in text and "dry run, nothing written: create 1" in text
    assert Firm.objects.count() == 0
    call_command("import_firms", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Firm.objects.count() == 1
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_firms", str(tmp_path / "missing.csv"))
