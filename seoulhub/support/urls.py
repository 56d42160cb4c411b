from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/firms/", views.programme_firms, name="programme_firms"),
    path("programmes/export/", views.export_programmes, name="export_programmes"),
    path("deadlines.ics", views.calendar_all, name="calendar_all"),
    path("plan/", views.plan, name="plan"),
    path("sync/", views.sync_status, name="sync_status"),
    path("firms/", views.firm_list, name="firm_list"),
    path("firms/mine/", views.my_dashboard, name="my_dashboard"),
    path("firms/import/", views.firm_import, name="firm_import"),
    path("firms/export/", views.export_firms, name="export_firms"),
    path("firms/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("firms/<int:pk>/edit/", views.firm_edit, name="firm_edit"),
    path("firms/<int:pk>/dashboard/", views.firm_dashboard, name="firm_dashboard"),
    path("firms/<int:pk>/deadlines.ics", views.calendar_firm, name="calendar_firm"),
]
