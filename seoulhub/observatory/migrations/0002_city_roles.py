"""The three city roles named in the study 서울시 디지털산업 육성방안 (Seoul Institute) ship as
the starting structure of the policy portfolio. Only the roles and the study's one-line
description of each are entered; no policy content."""

from django.db import migrations

ROLES = [
    (
        "pre-adopter",
        1,
        "선도 수용자",
        "Pre-adopter",
        "글로벌 디지털 정보의 디지털 허브 (출처: 서울연구원, 서울시 디지털산업 육성방안)",
        "A digital hub of global digital information (source: Seoul Institute, 서울시 디지털산업 육성방안)",
    ),
    (
        "accelerator",
        2,
        "촉진자",
        "Accelerator",
        "시설 중심에서 플랫폼 중심으로 전환한 지원 (출처: 서울연구원, 서울시 디지털산업 육성방안)",
        "Support shifted from facilities to platforms (source: Seoul Institute, 서울시 디지털산업 육성방안)",
    ),
    (
        "synthesizer",
        3,
        "융합자",
        "Synthesizer",
        "디지털 기술의 고도화와 융합, 디지털 전환 실증사업 (출처: 서울연구원, 서울시 디지털산업 육성방안)",
        "Advancement and convergence of digital technology, pilot projects for digital transformation "
        "(source: Seoul Institute, 서울시 디지털산업 육성방안)",
    ),
]


def create_roles(apps, schema_editor):
    PolicyRole = apps.get_model("observatory", "PolicyRole")
    for slug, order, name_ko, name_en, description_ko, description_en in ROLES:
        PolicyRole.objects.update_or_create(
            slug=slug,
            defaults={
                "order": order,
                "name_ko": name_ko,
                "name_en": name_en,
                "description_ko": description_ko,
                "description_en": description_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
