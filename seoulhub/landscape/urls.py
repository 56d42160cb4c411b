from django.urls import path

from . import views

app_name = "landscape"
urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("", views.gaps, name="index"),  # the home page links each area by "<app>:index"
    path("firms/mine/", views.my_opportunities, name="my_opportunities"),
    path("firms/<int:pk>/", views.opportunities, name="opportunities"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/reset-feed/", views.reset_feed_token, name="reset_feed_token"),
    path("briefings/<int:pk>/", views.briefing, name="briefing"),
    path("briefings/<str:token>.atom", views.feed, name="feed"),
    path("tech/<slug:slug>/briefings.atom", views.technology_feed, name="technology_feed"),
]
