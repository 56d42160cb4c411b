"""Support data given hostile input: firm edits, exports and imports (issue 21, items 4, 5, 7, 13
and 15)."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from seoulhub.support.firm_import import import_firms, read_rows
from seoulhub.support.models import Firm, Programme

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_patching_certifications_to_null_clears_them(client, member_firm, firm_member):
    Firm.objects.filter(pk=member_firm.pk).update(certifications=["venture"])
    client.force_login(firm_member)
    response = client.patch(
        f"/api/v1/firms/{member_firm.pk}", json.dumps({"certifications": None}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["certifications"] == []
    member_firm.refresh_from_db()
    assert member_firm.certifications == []


def test_control_characters_are_dropped_from_a_firm_at_input_and_the_xlsx_export_still_works(
    client, member_firm, firm_member
):
    client.force_login(firm_member)
    response = client.patch(
        f"/api/v1/firms/{member_firm.pk}",
        json.dumps({"name_en": "Bad\x01Name\x0b Co", "description": "줄\n바꿈\t탭\x1f"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    member_firm.refresh_from_db()
    assert (member_firm.name_en, member_firm.description) == ("BadName Co", "줄\n바꿈\t탭")
    # A control character already stored (before this rule, or written around the ORM) does not
    # break the public export either.
    Firm.objects.filter(pk=member_firm.pk).update(name_en="Old\x02Row", products="=1+1\x07")
    client.logout()
    rows = _xlsx(client.get("/support/firms/export/", {"format": "xlsx"}))
    row = next(r for r in rows if r[0] == member_firm.pk)
    assert row[2] == "OldRow" and row[10] == "'=1+1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t=", "\r=", "\t", "\r"])
def test_the_formula_guard_quotes_a_leading_tab_or_carriage_return_too(client, make_firm, fmt, start):
    firm = make_firm("예시 수식", brn=None, products=f'{start}HYPERLINK("http://evil.example")')
    response = client.get("/support/firms/export/", {"format": fmt})
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    row = next(r for r in rows[1:] if str(r[0]) == str(firm.pk))
    assert row[10].startswith("'"), repr(row[10])


def test_programme_exports_hold_what_the_filtered_list_shows(client):
    Programme.objects.create(title="예시 AI 바우처", kind=Programme.Kind.VOUCHER, summary="AI")
    Programme.objects.create(title="예시 수출 지원", kind=Programme.Kind.EXPORT)
    Programme.objects.create(title="예시 AI 융자", kind=Programme.Kind.LOAN, summary="AI")
    filters = {"q": "AI", "kind": "voucher"}
    page = client.get("/support/programmes/", filters).content.decode()
    assert "예시 AI 바우처" in page and "예시 AI 융자" not in page
    assert "format=csv&amp;q=AI&amp;kind=voucher" in page  # the export links carry the filters
    for fmt, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(client.get("/support/programmes/export/", {"format": fmt, **filters}))
        assert [r[1] for r in rows[1:]] == ["예시 AI 바우처"], fmt


def test_firm_exports_hold_what_the_filtered_list_shows(client, make_firm):
    make_firm("예시 마포 기업", district="마포구")
    make_firm("예시 강남 기업", district="강남구")
    page = client.get("/support/firms/", {"district": "강남구"}).content.decode()
    assert "format=xlsx&amp;district=" in page
    for fmt, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(client.get("/support/firms/export/", {"format": fmt, "district": "강남구"}))
        assert [r[1] for r in rows[1:]] == ["예시 강남 기업"], fmt


HEADER = "name_ko,brn,employees,address,website\n"


@pytest.mark.parametrize(
    "row, reason",
    [
        ("예시 기업,123-45-67891,²,,\n", "종업원 수 '²'"),
        ("예시 기업,123-45-67891,99999999999999999999,,\n", "종업원 수 '99999999999999999999'"),
        ("예시 기업,123-45-67891,3000000000,,\n", "종업원 수 '3000000000'"),
        ("예" * 201 + ",123-45-67891,,,\n", "한국어 이름: 이 값이 최대 200 개의 글자"),
        ("예시 기업,123-45-67891,,{},\n".format("주" * 301), "주소: 이 값이 최대 300 개의 글자"),
        ("예시 기업,123-45-67891,,,http://{}.kr\n".format("a" * 250), "웹사이트"),
    ],
)
def test_the_dry_run_refuses_what_the_real_run_could_not_write(row, reason):
    rows = read_rows((HEADER + "예시 좋은 기업,111-11-11119,5,,\n" + row).encode(), "firms.csv")
    dry, _ = import_firms(rows, dry_run=True)
    assert dry.summary()["create"] == 1 and dry.summary()["rejected"] == 1
    assert reason in " ".join(dry.rejected[0].errors)
    real, _changed = import_firms(rows)
    assert real.summary() == dry.summary()
    assert list(Firm.objects.values_list("name_ko", flat=True)) == ["예시 좋은 기업"]


def test_nul_and_control_characters_in_an_import_are_dropped_before_the_dry_run_compares():
    rows = read_rows((HEADER + "예시\x00 기업\x01,123-45-67891,,주소\x0b,\n").encode(), "firms.csv")
    dry, _ = import_firms(rows, dry_run=True)
    assert dry.summary()["create"] == 1
    import_firms(rows)
    firm = Firm.objects.get()
    assert (firm.name_ko, firm.address) == ("예시 기업", "주소")
    again, _ = import_firms(rows, dry_run=True)
    assert again.summary()["unchanged"] == 1


def test_a_failing_write_rolls_back_the_whole_import_and_names_the_row(tmp_path, monkeypatch):
    path = tmp_path / "firms.csv"
    path.write_text(HEADER + "예시 하나,123-45-67891,,,\n예시 둘,111-11-11119,,,\n", encoding="utf-8")
    saved = Firm.save

    def fail_on_the_second(self, *args, **kwargs):
        if self.name_ko == "예시 둘":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(Firm, "save", fail_on_the_second)
    with pytest.raises(CommandError, match="2행을 저장할 수 없었습니다.*하나도 가져오지 않았습니다"):
        call_command("import_firms", str(path))
    assert not Firm.objects.exists()
