from django.urls import path
from django.views.generic import RedirectView

from seoulhub.alerts import views as alerts_views

from . import views_search, views_trends

# Included from radar/urls.py, so names live in the "radar" namespace.
urlpatterns = [
    path("search", views_search.search, name="search"),
    path("trends/", views_trends.rising, name="trends"),
    path("trends/tech/<slug:slug>/", views_trends.technology, name="trend_technology"),
    path("trends/keyword/", views_trends.keyword, name="trend_keyword"),
    # The radar's subscriptions moved to the one subscription system (/alerts/); old addresses keep working.
    path("subscriptions/", RedirectView.as_view(pattern_name="alerts:index", permanent=True), name="subscriptions"),
    path("subscriptions/follow", alerts_views.follow_view),
    path("subscriptions/token", alerts_views.rotate_token),
    path("subscriptions/feed/<str:token>.atom", alerts_views.legacy_briefing_feed),
]
