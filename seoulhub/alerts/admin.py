from django.contrib import admin

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "by_email", "firm_programmes", "updated_at"]
    list_filter = ["by_email", "firm_programmes"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["technologies", "sources", "briefings"]
    exclude = ["programmes"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "channel", "period", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "frequency"]
    search_fields = ["subscription__user__username", "period"]
    readonly_fields = [
        "subscription",
        "channel",
        "frequency",
        "period",
        "since",
        "until",
        "item_count",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
