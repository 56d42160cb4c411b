from django.contrib import admin

from .models import (
    AuditEntry,
    ConflictDeclaration,
    Criterion,
    Demand,
    Kpi,
    Milestone,
    Proposal,
    Reference,
    Review,
    Solution,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "is_example", "closes_on", "posted_by"]
    list_filter = ["kind", "status", "is_example"]
    search_fields = ["title", "problem", "place"]
    filter_horizontal = ["technologies"]
    raw_id_fields = ["posted_by"]
    inlines = [CriterionInline]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "firm", "trl"]
    search_fields = ["title", "firm__name_ko"]
    raw_id_fields = ["firm"]
    filter_horizontal = ["technologies"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "firm", "client", "year"]
    search_fields = ["title", "client", "firm__name_ko"]
    raw_id_fields = ["firm"]
    filter_horizontal = ["technologies"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


class AuditInline(admin.TabularInline):
    model = AuditEntry
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor_name", "capacity", "from_state", "to_state", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The state is read-only here: it changes only through the audited lifecycle."""

    list_display = ["title", "demand", "lead_firm", "state", "is_example", "outcome"]
    list_filter = ["state", "is_example", "outcome"]
    search_fields = ["title", "lead_firm__name_ko", "demand__title"]
    raw_id_fields = ["demand", "lead_firm", "partners", "solution", "created_by"]
    readonly_fields = ["state", "certificate_number", "certificate_issued_on", "outcome"]
    inlines = [MilestoneInline, KpiInline, AuditInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "proposal", "actor_name", "capacity", "from_state", "to_state"]
    list_filter = ["to_state", "capacity"]
    search_fields = ["proposal__title", "actor_name", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ConflictDeclaration)
admin.site.register(Review)
