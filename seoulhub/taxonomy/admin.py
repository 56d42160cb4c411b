from django.contrib import admin

from .models import District, KsicCode, Technology


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ko", "name_en", "parent", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["slug", "name_ko", "name_en", "aliases_ko", "aliases_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]


@admin.register(KsicCode)
class KsicCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "revision"]
    list_filter = ["revision", "level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "adm_code", "kostat_code"]
    search_fields = ["name_ko", "name_en", "adm_code", "kostat_code"]
