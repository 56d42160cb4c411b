from django.contrib import admin

from .models import EligibilityRule, Firm, FirmMember, FirmTechnology, PlanEntry, Programme, SyncRun


class FirmMemberInline(admin.TabularInline):
    model = FirmMember
    extra = 1
    autocomplete_fields = ["user"]


class FirmTechnologyInline(admin.TabularInline):
    model = FirmTechnology
    extra = 0
    raw_id_fields = ["technology"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "brn", "stock_code", "district", "ksic", "source"]
    list_filter = ["source", "district", "stage"]
    search_fields = ["name_ko", "name_en", "brn", "stock_code", "products"]
    raw_id_fields = ["ksic"]
    inlines = [FirmTechnologyInline, FirmMemberInline]


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "kind", "opens_on", "closes_on", "rolling", "source", "changed_at"]
    list_filter = ["kind", "source", "rolling", "derived_by_collector"]
    search_fields = ["title", "agency", "summary", "source_id"]
    filter_horizontal = ["technologies"]
    inlines = [EligibilityRuleInline]


@admin.register(FirmMember)
class FirmMemberAdmin(admin.ModelAdmin):
    list_display = ["firm", "user", "role", "created_at"]
    search_fields = ["firm__name_ko", "user__username"]
    autocomplete_fields = ["firm", "user"]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started_at", "status", "fetched", "created", "updated", "unchanged", "rejected"]
    list_filter = ["source", "status"]
    readonly_fields = [f.name for f in SyncRun._meta.fields]


@admin.register(PlanEntry)
class PlanEntryAdmin(admin.ModelAdmin):
    list_display = ["year", "section", "category", "title", "owner", "budget_100m_krw"]
    list_filter = ["year", "section", "category"]
    search_fields = ["title", "owner", "operator"]
    raw_id_fields = ["programmes"]
