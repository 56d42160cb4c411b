import datetime

from ninja import Field, Schema

from seoulhub.accounts.roles import is_official

from .permissions import can_edit_firm
from .services import window_status


class FirmTechnologyOut(Schema):
    slug: str
    provenance: str = Field(description="declared | products (inferred from products) | ksic (KSIC default)")
    confidence: float = Field(description="0..1: declared 1.0, products the tagger's score, KSIC default 0.3")

    @staticmethod
    def resolve_slug(obj) -> str:
        return obj.technology.slug


class FirmOut(Schema):
    id: int
    name_ko: str
    name_en: str
    brn: str | None
    stock_code: str | None
    district: str | None
    province: str
    address: str
    ksic: str | None
    industry_text: str
    products: str
    technologies: list[str]
    technology_tags: list[FirmTechnologyOut]
    founded_on: datetime.date | None
    listed_on: datetime.date | None
    employees: int | None
    revenue_band: str
    stage: str
    certifications: list[str]
    website: str
    source: str

    @staticmethod
    def resolve_brn(obj, context) -> str | None:
        # The registration number is shown to the firm's own members and to officials only.
        user = getattr(context.get("request"), "user", None) if context else None
        if obj.brn and user is not None and (is_official(user) or can_edit_firm(user, obj)):
            return obj.brn_display
        return None

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.name_ko if obj.district_id else None

    @staticmethod
    def resolve_ksic(obj) -> str | None:
        return obj.ksic.code if obj.ksic_id else None

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())

    @staticmethod
    def resolve_technology_tags(obj) -> list:
        return sorted(obj.firmtechnology_set.all(), key=lambda r: (-r.confidence, r.technology.slug))


class FirmUpdateIn(Schema):
    """Fields a firm's member may change; omitted fields stay as they are."""

    name_en: str | None = None
    brn: str | None = None
    address: str | None = None
    district: str | None = None
    ksic: str | None = None
    technologies: list[str] | None = None
    founded_on: datetime.date | None = None
    employees: int | None = None
    revenue_band: str | None = None
    stage: str | None = None
    certifications: list[str] | None = None
    website: str | None = None
    description: str | None = None


class RuleOut(Schema):
    kind: str
    params: dict
    source_text: str


class ProgrammeOut(Schema):
    id: int
    title: str
    agency: str
    ministry: str
    kind: str
    support_field: str
    target_text: str
    summary: str
    technologies: list[str]
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    rolling: bool
    status: str
    period_text: str
    amount_krw: int | None
    amount_text: str
    url: str
    source: str
    source_id: str | None
    rules: list[RuleOut]

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())

    @staticmethod
    def resolve_status(obj) -> str:
        return window_status(obj)

    @staticmethod
    def resolve_rules(obj) -> list:
        return list(obj.rules.all())


class VerdictOut(Schema):
    kind: str
    status: str
    text_ko: str
    text_en: str


class ProgrammeBrief(Schema):
    id: int
    title: str
    agency: str
    kind: str
    closes_on: datetime.date | None
    status: str
    url: str


class RecommendationOut(Schema):
    programme: ProgrammeBrief
    status: str
    score: float
    tech_fit: float
    text_similarity: float
    deadline_score: float
    shared_technologies: list[str]
    verdicts: list[VerdictOut]


class FirmBrief(Schema):
    id: int
    name_ko: str
    name_en: str
    district: str | None
    ksic: str | None


class EligibleFirmOut(Schema):
    firm: FirmBrief
    status: str
    score: float
    tech_fit: float
    text_similarity: float
    shared_technologies: list[str]
    verdicts: list[VerdictOut]
