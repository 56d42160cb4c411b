from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def seoul_open_data_file() -> Path:
    """Made-up figures in the Seoul Open Data layout (see fixtures/README.md)."""
    return FIXTURES / "fixture_seoul_open_data_two_header_rows.csv"


@pytest.fixture
def sanup_file() -> Path:
    """Made-up figures in the sanup_num_wrk layout (see fixtures/README.md)."""
    return FIXTURES / "fixture_sanup_num_wrk.csv"


@pytest.fixture
def all_districts_file(db, tmp_path) -> Path:
    """A made-up (NOT real) sanup_num_wrk file covering all 25 gu for 2018 and 2019, so that
    Seoul totals and location quotients are defined. Gu number i (by KOSTAT code) has
    100*i establishments in total and i in software (582), plus 1 more in 2019."""
    from seoulhub.taxonomy.models import District

    lines = ["year,sgis_lv,sgis_cd,sgis_nm,sgis_si,sgis_gu,sgis_dong,indst_ctg,indst_cd,indst_nm,num_estbl,num_wrk"]
    for i, district in enumerate(District.objects.order_by("kostat_code"), start=1):
        for year, extra in ((2018, 0), (2019, 1)):
            lines.append(
                f"{year},2,{district.kostat_code},{district.name_ko},서울특별시,{district.name_ko},NULL,전체,NULL,전체,{100 * i},{1000 * i}"
            )
            lines.append(
                f"{year},2,{district.kostat_code},{district.name_ko},서울특별시,{district.name_ko},NULL,소분류,582,소프트웨어 개발 및 공급업,{i + extra},{10 * i}"
            )
    path = tmp_path / "fixture_all_districts_NOT_REAL.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
