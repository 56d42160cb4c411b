from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("definition/", views.definition, name="definition"),
    path("policies/", views.policies, name="policies"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", views.monthly_report, name="report"),
    path("report/<str:month>/", views.monthly_report, name="report_month"),
    path("import/", views.import_statistics, name="import"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]
