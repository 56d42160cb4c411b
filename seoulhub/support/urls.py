from django.urls import path

from . import views, views_membership as membership

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
    # Firm membership (views_membership.py)
    path("membership/", membership.my_membership, name="my_membership"),
    path("membership/join/", membership.join, name="membership_join"),
    path("membership/join/new/", membership.join_new, name="membership_join_new"),
    path("membership/firms/", membership.firm_search, name="membership_firm_search"),
    path("membership/requests/", membership.queue, name="membership_queue"),
    path("membership/requests/<int:pk>/decide/", membership.decide, name="membership_decide"),
    path("firms/<int:pk>/members/", membership.firm_members, name="firm_members"),
    path("firms/<int:pk>/profile/", membership.firm_profile, name="firm_profile"),
    path("firms/<int:pk>/history/", membership.firm_history, name="firm_history"),
]
