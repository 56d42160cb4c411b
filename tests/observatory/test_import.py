"""Importing statistics files into the database: validation, idempotence, dry runs."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from seoulhub.observatory.importer import import_stats
from seoulhub.observatory.models import IndustryStat, StatImport
from seoulhub.observatory.statsfile import LayoutError


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_seoul_open_data_file_is_imported_and_bad_rows_rejected_with_reasons(seoul_open_data_file):
    report = import_stats(seoul_open_data_file.read_bytes(), seoul_open_data_file.name)
    assert report.created == 3 * 2 * 3  # 3 gu x 2 years x (total, J, C)
    gangnam_j = IndustryStat.objects.get(year=2019, district__name_ko="강남구", ksic_code="J")
    assert (gangnam_j.establishments, gangnam_j.workers, gangnam_j.revision) == (60, 1500, "10")
    reasons = {p.line: (p.column, p.message) for p in report.problems}
    assert reasons[11][0] == "자치구" and "판교구" in reasons[11][1]
    assert len(report.problems) == 1  # the dong row with "abc" is skipped as a dong row, not read
    run = StatImport.objects.get()
    assert run.created == 18 and run.rejected == 1 and run.problems[0]["line"] == 11


def test_importing_the_same_file_again_changes_nothing(seoul_open_data_file):
    import_stats(seoul_open_data_file.read_bytes(), "first")
    before = list(IndustryStat.objects.values_list("pk", "establishments", "workers"))
    again = import_stats(seoul_open_data_file.read_bytes(), "second")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 18)
    assert list(IndustryStat.objects.values_list("pk", "establishments", "workers")) == before


def test_a_corrected_file_updates_only_what_changed(seoul_open_data_file):
    import_stats(seoul_open_data_file.read_bytes(), "first")
    corrected = seoul_open_data_file.read_text(encoding="utf-8").replace(
        "2019,강남구,소계,500,", "2019,강남구,소계,501,"
    )
    report = import_stats(corrected.encode("cp949", errors="strict"), "corrected")
    assert (report.created, report.updated) == (0, 1)
    assert IndustryStat.objects.get(year=2019, district__name_ko="강남구", ksic_code="TOTAL").establishments == 501


def test_dry_run_reports_but_writes_nothing(seoul_open_data_file):
    report = import_stats(seoul_open_data_file.read_bytes(), "dry", dry_run=True)
    assert report.created == 18 and report.dry_run
    assert not IndustryStat.objects.exists() and not StatImport.objects.exists()


def test_sanup_file_checks_codes_districts_and_duplicates(sanup_file):
    report = import_stats(sanup_file.read_bytes(), sanup_file.name)
    messages = {p.line: f"{p.column}: {p.message}" for p in report.problems}
    assert "11999" in messages[11] and messages[11].startswith("sgis_cd")
    assert "'999' is not a KSIC rev. 10 code" in messages[12]
    assert messages[13].startswith("num_estbl")
    assert "repeats line 8" in messages[14]
    mapo = IndustryStat.objects.get(district__name_ko="마포구", ksic_code="582")
    assert mapo.workers is None and mapo.workers_suppressed and mapo.revision == "10"
    assert IndustryStat.objects.filter(district__name_ko="강남구", year=2019).count() == 4


def test_the_command_prints_the_report_and_refuses_unknown_layouts(seoul_open_data_file, tmp_path, capsys):
    call_command("import_industry_stats", str(seoul_open_data_file), "--dry-run")
    out = capsys.readouterr().out
    assert "18 would be created" in out and "line 11" in out and "dry run" in out
    assert not IndustryStat.objects.exists()
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unrecognised columns"):
        call_command("import_industry_stats", str(other))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_industry_stats", str(tmp_path / "missing.csv"))


def test_an_unreadable_file_raises_a_layout_error_and_stores_nothing():
    with pytest.raises(LayoutError):
        import_stats(b"\xff\xfe\x00garbage", "bad.csv")
    assert not StatImport.objects.exists()
