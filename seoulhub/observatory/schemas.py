import datetime

from ninja import Schema


class IndicatorOut(Schema):
    source: str
    year: int | None
    previous_year: int | None = None
    sector: str
    sector_label: str = ""
    measure: str
    adm_code: str
    kostat_code: str
    name_ko: str
    name_en: str
    count: float | None
    total: float | None
    share_of_seoul: float | None
    growth: float | None
    annual_growth: float | None
    location_quotient: float | None
    rank: int | None
    incomplete: bool
    note: str = ""


class SectorRowOut(Schema):
    sector: str
    sector_label: str
    year: int | None = None
    previous_year: int | None = None
    count: float | None
    share_of_seoul: float | None
    growth: float | None
    location_quotient: float | None
    rank: int | None


class DistrictProfileOut(Schema):
    adm_code: str
    kostat_code: str
    name_ko: str
    name_en: str
    source: str
    year: int | None
    previous_year: int | None
    measure: str
    note: str
    sectors: list[SectorRowOut]


class KpiOut(Schema):
    id: int
    name_ko: str
    name_en: str
    unit: str
    live: bool
    computation: str | None
    value: float | None
    as_of: str | None
    target: float | None
    target_note: str
    progress: float | None
    value_text: str = ""
    source: str
    source_url: str = ""
    note: str


class PolicyOut(Schema):
    id: int
    role: str | None
    title_ko: str
    title_en: str
    summary: str
    owner: str
    budget_krw: int | None
    budget_note: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str
    source: str
    kpis: list[KpiOut]


class SectorOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    ksic10: list[str]
    ksic9: list[str]


class ComputationOut(Schema):
    name: str
    label: str
    unit: str
    description: str
    role: str
    value: float | None
    note: str
