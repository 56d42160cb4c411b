import datetime
from typing import Annotated

from ninja import Field, Schema

from pydantic import model_validator

MAX_ID = 2**63 - 1  # database primary keys are signed 64-bit; larger numbers would overflow the query
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


class In(Schema):
    """Input bodies: text may not contain NUL characters (PostgreSQL cannot store them)."""

    @model_validator(mode="after")
    def _no_nul(self):
        if has_nul(self.model_dump()):
            raise ValueError("text must not contain NUL (\\x00) characters")
        return self


MAX_KRW = 10**15  # a quadrillion won: above any city budget, below 64-bit overflow


class CriterionIn(In):
    name: str = Field(min_length=1, max_length=200)
    weight: int = Field(ge=1, le=100)


class CriterionOut(Schema):
    id: int
    name: str
    weight: int


class DemandIn(In):
    kind: str = Field("demand", pattern="^(demand|open_call)$")
    title: str = Field(min_length=1, max_length=200)
    problem: str = Field(min_length=1, max_length=20000)
    place: str = Field("", max_length=200)
    district: str | None = Field(None, description="administrative code, e.g. 11680 (강남구)", max_length=5)
    technologies: list[str] = Field(default_factory=list, description="taxonomy slugs", max_length=50)
    budget_krw: int | None = Field(None, ge=0, le=MAX_KRW)
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    pilot_starts_on: datetime.date | None = None
    pilot_ends_on: datetime.date | None = None
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20)
    is_example: bool = False
    source_note: str = Field("", max_length=5000)
    source_url: str = Field("", max_length=500, description="where a real demand was published")


class DemandOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    problem: str
    place: str
    district: str | None
    technologies: list[str]
    budget_krw: int | None
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    pilot_starts_on: datetime.date | None
    pilot_ends_on: datetime.date | None
    criteria: list[CriterionOut]
    is_example: bool
    is_open: bool
    source_note: str
    source_url: str
    url: str

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.adm_code if obj.district_id else None

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_is_open(obj) -> bool:
        return obj.is_open()

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class FirmRef(Schema):
    id: int
    name: str


class ReasonOut(Schema):
    code: str
    items: list[str]
    number: float | None


class RankedFirmOut(Schema):
    firm: FirmRef
    score: float
    covered: list[str]
    missing: list[str]
    reasons: list[ReasonOut]


class ConsortiumOut(Schema):
    rank: int
    size: int
    cost: float
    members: list[FirmRef]
    assignment: dict[str, list[int]] = Field(description="technology slug -> ids of the members that bring it")
    reasons: list[ReasonOut]
    method: str = Field(description="exact (branch and bound) or greedy")
    ratio_bound: float = Field(description="cost <= ratio_bound x the optimum; 1 for a complete exact search")
    uncoverable: list[str] = Field(description="required technologies no firm on the hub offers")


class ProposalIn(In):
    demand: Id
    lead_firm: Id
    partners: list[Id] = Field(default_factory=list, max_length=20)
    technologies: list[str] = Field(default_factory=list, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=20000)
    requested_krw: int | None = Field(None, ge=0, le=MAX_KRW)


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    target: float
    actual: float | None
    higher_is_better: bool
    met: bool | None


class ProposalOut(Schema):
    id: int
    demand: int
    lead_firm: FirmRef
    partners: list[FirmRef]
    title: str
    summary: str
    technologies: list[str]
    requested_krw: int | None
    state: str
    allowed_next: list[str] = Field(description="states the current user may move this proposal to")
    is_example: bool
    outcome: str
    evaluation: str
    certificate_number: str
    certificate_issued_on: datetime.date | None
    milestones: list[MilestoneOut]
    kpis: list[KpiOut]
    url: str

    @staticmethod
    def resolve_demand(obj) -> int:
        return obj.demand_id

    @staticmethod
    def resolve_lead_firm(obj) -> dict:
        return {"id": obj.lead_firm_id, "name": obj.lead_firm.name}

    @staticmethod
    def resolve_partners(obj) -> list:
        return [{"id": f.pk, "name": f.name} for f in obj.partners.all()]

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())

    @staticmethod
    def resolve_allowed_next(obj, context) -> list[str]:
        from . import lifecycle, services

        return [t.target for t in lifecycle.available(obj.state, services.capacities(context["request"].user, obj))]

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_kpis(obj) -> list:
        return list(obj.kpis.all())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class TransitionIn(In):
    to: str = Field(max_length=20, description="target state, e.g. submitted, under_review, selected")
    note: str = Field("", max_length=5000)
    outcome: str = Field("", max_length=10, description="for evaluated: success, partial or failure")
    evaluation: str = Field("", max_length=5000)


class AuditOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    capacity: str
    from_state: str
    to_state: str
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name


class ConflictIn(In):
    has_conflict: bool
    statement: str = Field("", max_length=5000)


class ReviewIn(In):
    scores: dict[Id, Annotated[int, Field(ge=0, le=5)]] = Field(
        description="criterion id -> score 0..5, every criterion of the demand", max_length=50
    )
    comment: str = Field("", max_length=5000)


class ReviewOut(Schema):
    id: int
    reviewer: str
    total: float
    comment: str
    scores: dict[int, int]

    @staticmethod
    def resolve_reviewer(obj) -> str:
        return obj.reviewer.get_username()

    @staticmethod
    def resolve_scores(obj) -> dict[int, int]:
        return {s.criterion_id: s.score for s in obj.scores.all()}


class MilestoneIn(In):
    title: str = Field(min_length=1, max_length=200)
    due_on: datetime.date
    done_on: datetime.date | None = None


class MilestoneDoneIn(In):
    done_on: datetime.date


class KpiIn(In):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field("", max_length=40)
    target: float = Field(ge=-1e12, le=1e12)
    actual: float | None = Field(None, ge=-1e12, le=1e12)
    higher_is_better: bool = True


class KpiActualIn(In):
    actual: float = Field(ge=-1e12, le=1e12)


class DemandFitOut(Schema):
    demand: int
    title: str
    is_example: bool
    alone: bool
    covered: list[str]
    missing: list[str]
    partners: list[FirmRef]
    uncoverable: list[str]


class PairOut(Schema):
    a: str
    b: str
    together: int
    lift: float


class AnalyticsOut(Schema):
    include_examples: bool
    proposal_count: int
    pilot_count: int
    selected: int
    decided: int
    evaluated: int
    successful: int
    pairs: list[PairOut]


class SolutionIn(In):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20000)
    technologies: list[str] = Field(min_length=1, max_length=50, description="taxonomy slugs")
    trl: int | None = Field(None, ge=1, le=9)


class SolutionOut(Schema):
    id: int
    firm: int
    title: str
    description: str
    technologies: list[str]
    trl: int | None

    @staticmethod
    def resolve_firm(obj) -> int:
        return obj.firm_id

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())


class ReferenceIn(In):
    title: str = Field(min_length=1, max_length=200)
    client: str = Field("", max_length=200)
    year: int | None = Field(None, ge=1950, le=2100)
    technologies: list[str] = Field(min_length=1, max_length=50, description="taxonomy slugs")
    url: str = Field("", max_length=200, pattern=r"^(https?://\S+)?$")


class ReferenceOut(Schema):
    id: int
    firm: int
    title: str
    client: str
    year: int | None
    technologies: list[str]
    url: str

    @staticmethod
    def resolve_firm(obj) -> int:
        return obj.firm_id

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())


class CertificateOut(Schema):
    valid: bool
    certificate_number: str
    code: str
    issued_on: datetime.date | None
    proposal: int
    title: str
    demand: str
    lead_firm: FirmRef
    partners: list[FirmRef]
    outcome: str
    is_example: bool
    url: str


class PastPilotOut(Schema):
    id: int
    programme: str
    period: str
    year: int | None
    firm_name: str = Field(description="as the source names it; empty when it names none")
    technology: str
    technologies: list[str] = Field(description="taxonomy slugs, where the mapping is clear")
    site: str
    outcome: str
    source_url: str
    note: str

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return sorted(t.slug for t in obj.technologies.all())
