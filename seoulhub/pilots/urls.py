from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.dashboard, name="dashboard"),
    path("analytics/", views.analytics, name="analytics"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/propose/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/transition/", views.proposal_transition, name="proposal_transition"),
    path("proposals/<int:pk>/conflict/", views.proposal_conflict, name="proposal_conflict"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/plan/", views.pilot_plan, name="pilot_plan"),
    path("proposals/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
    path("partners/search/", views.partner_search, name="partner_search"),
    path("firms/<int:firm_id>/", views.firm_demands, name="firm_demands"),
]
