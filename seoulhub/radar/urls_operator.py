"""/operator/: the operator's pages (radar sources and the programme sync), not the Django admin."""

from django.urls import path

from . import views_operator as views

app_name = "operator"
urlpatterns = [
    path("", views.sources, name="sources"),
    path("sources/add/", views.source_add, name="source_add"),
    path("sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/pause/", views.source_pause, name="source_pause"),
    path("sources/<int:pk>/resume/", views.source_resume, name="source_resume"),
    path("sources/import/", views.opml_import, name="opml_import"),
    path("sources/export.opml", views.opml_export, name="opml_export"),
    path("sync/", views.sync, name="sync"),
    path("sync/now/", views.sync_now, name="sync_now"),
]
