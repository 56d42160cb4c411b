from datetime import datetime

from ninja import Schema


class LandscapeWeekOut(Schema):
    week: str
    count: int
    total: int


class LandscapeTrendOut(Schema):
    articles: int
    weekly: list[LandscapeWeekOut]
    recent: int
    recent_total: int
    history: int
    history_total: int
    growth: float
    g2: float
    emergence: float
    significant: bool
    rising: float
    top_clusters: list[dict]
    top_sources: list[dict]
    languages: dict[str, int]
    refreshed_at: datetime | None


class LandscapeFirmRef(Schema):
    id: int
    name_ko: str
    name_en: str
    district: str | None
    url: str


class LandscapeDistrictCount(Schema):
    adm_code: str
    name_ko: str
    name_en: str
    firms: int
    url: str


class LandscapeProgrammeRef(Schema):
    id: int
    title: str
    closes_on: str | None
    url: str


class LandscapeDemandRef(Schema):
    id: int
    title: str
    is_example: bool
    url: str


class LandscapePilotRef(Schema):
    id: int
    title: str
    state: str
    is_example: bool
    url: str


class LandscapeRelatedOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    together: int
    npmi: float


class LandscapeSeoulOut(Schema):
    firms: int
    firms_in_seoul_districts: int
    by_district: list[LandscapeDistrictCount]
    firm_sample: list[LandscapeFirmRef]
    programmes: int
    open_programmes: int
    open_programme_list: list[LandscapeProgrammeRef]
    open_demands: int
    open_example_demands: int
    open_demand_list: list[LandscapeDemandRef]
    pilots: int
    example_pilots: int
    pilot_list: list[LandscapePilotRef]
    capacity: float
    gap: float
    refreshed_at: datetime | None


class TechnologyLandscapeOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    trend: LandscapeTrendOut
    seoul: LandscapeSeoulOut
    related_in_articles: list[LandscapeRelatedOut]
    related_in_pilots: list[LandscapeRelatedOut]
    links: dict[str, str]


class LandscapeGapOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    gap: float
    rising: float
    emergence: float
    significant: bool
    growth: float
    recent: int
    firms: int
    firms_in_seoul_districts: int
    open_programmes: int
    pilots: int
    open_demands: int
    open_example_demands: int
    capacity: float
    links: dict[str, str]


class LandscapeOpportunityOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    score: float
    rising: float
    adjacency: float
    via: str | None
    reason: str


class LandscapePartnerOut(Schema):
    firm: LandscapeFirmRef
    brings: list[str]
    coverage: float
    shared_technologies: int


class LandscapeOpportunitiesOut(Schema):
    firm: LandscapeFirmRef
    technologies: list[str]
    rising_adjacent: list[LandscapeOpportunityOut]
    adjacent: list[LandscapeOpportunityOut]
    programmes: list[LandscapeProgrammeRef]
    demands: list[LandscapeDemandRef]
    partners: list[LandscapePartnerOut]


class LandscapeSubscriptionIn(Schema):
    technology: str


class LandscapeSubscriptionOut(Schema):
    technology: str
    email: bool


class LandscapeBriefingOut(Schema):
    id: int
    technology: str
    week: str
    content: dict
    created_at: datetime
    url: str

    @staticmethod
    def resolve_technology(obj) -> str:
        return obj.technology.slug

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("landscape:briefing", args=[obj.pk])
