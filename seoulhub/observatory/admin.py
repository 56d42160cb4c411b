from django.contrib import admin

from .models import KPI, DigitalSector, DigitalSectorCode, IndustryStat, Policy, PolicyRole, StatImport
from .sectors import rebuild_derived_codes


class DigitalSectorCodeInline(admin.TabularInline):
    model = DigitalSectorCode
    extra = 1
    fields = ["revision", "code", "derived"]
    readonly_fields = ["derived"]


@admin.register(DigitalSector)
class DigitalSectorAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ko", "name_en", "order", "active"]
    inlines = [DigitalSectorCodeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rebuild_derived_codes()  # rev. 9 codes follow every edit of the rev. 10 ones


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0
    fields = [
        "name_ko",
        "name_en",
        "unit",
        "computation",
        "value",
        "value_as_of",
        "target",
        "target_note",
        "source",
        "order",
    ]


@admin.register(PolicyRole)
class PolicyRoleAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ko", "name_en", "order"]
    inlines = [KPIInline]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title_ko", "role", "owner", "status", "starts_on", "ends_on"]
    list_filter = ["role", "status"]
    search_fields = ["title_ko", "title_en", "owner"]
    inlines = [KPIInline]


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "policy", "role", "computation", "value", "target"]
    list_filter = ["role", "computation"]


@admin.register(IndustryStat)
class IndustryStatAdmin(admin.ModelAdmin):
    list_display = ["year", "district", "revision", "ksic_code", "establishments", "workers", "source_import"]
    list_filter = ["year", "revision", "district"]
    search_fields = ["ksic_code", "ksic_name"]


@admin.register(StatImport)
class StatImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "layout", "created", "updated", "unchanged", "rejected", "created_at"]
    readonly_fields = [f.name for f in StatImport._meta.fields] + ["problems", "skipped"]
