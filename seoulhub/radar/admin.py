from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, ArticleTechnology, Source, StoryCluster
from .source_forms import SourceAdminForm


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm  # the operator page's address check: no private, loopback or metadata feed
    list_display = ["name", "kind", "active", "paused_at", "consecutive_errors", "last_success_at", "items_seen"]
    list_filter = ["active", "kind", "language_hint", "trust_level", ("paused_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "url"]
    readonly_fields = [
        "last_fetch_at",
        "last_success_at",
        "consecutive_errors",
        "last_error",
        "paused_at",
        "etag",
        "last_modified",
        "items_seen",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "url", "site_url", "kind", "active", "attribution"]}),
        (_("Fetching"), {"fields": ["fetch_interval_minutes", "full_text", "language_hint", "trust_level"]}),
        (_("Health"), {"fields": readonly_fields}),
    ]
    actions = ["resume_sources"]

    @admin.action(description=_("Resume the selected paused sources"))
    def resume_sources(self, request, queryset):
        for source in queryset:
            source.resume()
        self.message_user(
            request,
            ngettext("%d source resumed.", "%d sources resumed.", queryset.count()) % queryset.count(),
            messages.SUCCESS,
        )


class ArticleTechnologyInline(admin.TabularInline):
    model = ArticleTechnology
    extra = 0
    raw_id_fields = ["technology"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "language", "published_at", "relevance", "is_digital"]
    list_filter = ["language", "is_digital", "source"]
    search_fields = ["title", "url", "guid"]
    raw_id_fields = ["source", "cluster"]
    exclude = ["embedding", "minhash"]
    readonly_fields = ["content_hash", "search_text", "fetched_at"]
    inlines = [ArticleTechnologyInline]
    date_hierarchy = "published_at"


@admin.register(StoryCluster)
class StoryClusterAdmin(admin.ModelAdmin):
    list_display = ["title", "size", "first_published_at", "last_published_at"]
    search_fields = ["title"]
