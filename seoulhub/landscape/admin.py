from django.contrib import admin

from .models import Briefing, TechnologyLandscape


@admin.register(TechnologyLandscape)
class TechnologyLandscapeAdmin(admin.ModelAdmin):
    """Read-only: the figures are computed (`seoulhub refresh-landscape`), never typed in."""

    list_display = [
        "technology",
        "gap",
        "rising",
        "significant",
        "firms",
        "open_programmes",
        "open_demands",
        "pilots",
        "local_refreshed_at",
        "global_refreshed_at",
    ]
    list_filter = ["significant"]
    search_fields = ["technology__slug", "technology__name_ko", "technology__name_en"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["technology", "week", "created_at"]
    list_filter = ["week"]
    readonly_fields = ["technology", "week", "content", "created_at"]

    def has_add_permission(self, request):
        return False
