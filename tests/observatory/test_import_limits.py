"""Statistics files with numbers and text the database cannot hold: the dry run rejects exactly
the lines the real run would, and the real run writes the rest in one transaction (issue 21, item 7)."""

import pytest
from django.core.management import call_command

from seoulhub.observatory.importer import import_stats
from seoulhub.observatory.models import IndustryStat, StatImport
from seoulhub.observatory.statsfile import parse_count

pytestmark = pytest.mark.django_db

HEADER = "year,sgis_lv,sgis_cd,sgis_nm,sgis_si,sgis_gu,sgis_dong,indst_ctg,indst_cd,indst_nm,num_estbl,num_wrk\n"
GOOD = "2019,2,11230,강남구,서울특별시,강남구,NULL,전체,NULL,전체,100,1000\n"


@pytest.mark.parametrize("raw", ["²", "99999999999999999999", "2147483648", "1e400", "nan", "inf", "١٢", "-3", "1.5"])
def test_a_count_the_database_cannot_hold_is_a_problem_not_a_number(raw):
    value, _suppressed, error = parse_count(raw)
    assert value is None and error


def test_ordinary_counts_still_read():
    assert (
        parse_count("1,234")[0] == 1234 and parse_count("12.0")[0] == 12 and parse_count("2147483647")[0] == 2147483647
    )


@pytest.mark.parametrize(
    "bad",
    [
        "2019,2,11440,마포구,서울특별시,마포구,NULL,전체,NULL,전체,99999999999999999999,10\n",
        "2019,2,11440,마포구,서울특별시,마포구,NULL,전체,NULL,전체,²,10\n",
        "2019,2,11440,마포구,서울특별시,마포구,NULL,전체,NULL,전체,1e400,10\n",
        "2019,2,11440,마포구,서울특별시,마포구,NULL,소분류,{},소프트웨어,3,10\n".format("5" * 40),
        "2019,2,²²²²²,마포구,서울특별시,마포구,NULL,전체,NULL,전체,3,10\n",
    ],
)
def test_the_dry_run_rejects_what_the_real_run_could_not_write(bad):
    data = (HEADER + GOOD + bad).encode()
    dry = import_stats(data, "stats.csv", dry_run=True)
    assert (dry.created, dry.rejected) == (1, 1)
    real = import_stats(data, "stats.csv")
    assert (real.created, real.rejected) == (1, 1)
    assert IndustryStat.objects.count() == 1 and StatImport.objects.count() == 1


def test_nul_and_control_characters_in_a_file_are_dropped(tmp_path):
    path = tmp_path / "stats.csv"
    path.write_bytes(
        (HEADER + "2019,2,11230,강남구,서울특별시,강남구,NULL,소분류,582,소프트웨어\x00 개발\x01,3,10\n").encode()
    )
    call_command("import_industry_stats", str(path), "--dry-run")
    call_command("import_industry_stats", str(path))
    assert IndustryStat.objects.get().ksic_name == "소프트웨어 개발"
