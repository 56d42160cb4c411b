from django.contrib import admin

from . import firm_audit
from .models import (
    EligibilityRule,
    Firm,
    FirmChange,
    FirmMember,
    FirmTechnology,
    MembershipRequest,
    PlanEntry,
    Programme,
    SyncRun,
)


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

    # Changes made here are audited too: the snapshot before the save, compared once the inlines
    # (technology tags) are saved as well.
    def save_model(self, request, obj, form, change):
        request._firm_before = firm_audit.snapshot(obj) if change else dict.fromkeys(firm_audit.AUDITED_FIELDS, "")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        firm_audit.record(form.instance, request._firm_before, request.user, FirmChange.Via.ADMIN)


@admin.register(FirmChange)
class FirmChangeAdmin(admin.ModelAdmin):
    list_display = ["firm", "field", "actor_name", "at", "via"]
    list_filter = ["via", "field"]
    search_fields = ["firm__name_ko", "actor_name"]
    readonly_fields = [f.name for f in FirmChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "firm", "new_name_ko", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "firm__name_ko", "new_name_ko", "new_brn"]
    raw_id_fields = ["firm"]
    # Decisions go through the pages (they create the membership and send the mail).
    readonly_fields = ["user", "status", "role", "created_at", "decided_by", "decided_at"]


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
