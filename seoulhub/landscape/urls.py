from django.urls import path

from seoulhub.alerts import views as alerts_views

from . import views

app_name = "landscape"
urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("", views.gaps, name="index"),  # the home page links each area by "<app>:index"
    path("firms/mine/", views.my_opportunities, name="my_opportunities"),
    path("firms/<int:pk>/", views.opportunities, name="opportunities"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/reset-feed/", alerts_views.rotate_token),  # the one feed of /alerts/
    path("briefings/<int:pk>/", views.briefing, name="briefing"),
    path("briefings/<str:token>.atom", alerts_views.legacy_briefing_feed),  # redirects to /alerts/feed/
    path("tech/<slug:slug>/briefings.atom", views.technology_feed, name="technology_feed"),
]
