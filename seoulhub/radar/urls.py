from django.urls import include, path

from . import views

app_name = "radar"
urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("sources.opml", views.sources_opml, name="sources_opml"),
    path("sources/health/", views.source_health, name="source_health"),
    path("", include("seoulhub.radar.urls_search")),  # search, trends, subscriptions
]
