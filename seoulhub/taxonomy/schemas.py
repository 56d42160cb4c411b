from ninja import Schema


class TechnologyOut(Schema):
    slug: str
    parent: str | None
    name_ko: str
    name_en: str
    aliases_ko: list[str]
    aliases_en: list[str]
    arxiv_categories: list[str]
    ksic_codes: list[str]

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None


class DistrictOut(Schema):
    adm_code: str
    kostat_code: str
    name_ko: str
    name_en: str


class KsicOut(Schema):
    revision: str
    code: str
    name: str
    level: int
