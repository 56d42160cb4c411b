from django.urls import path

from . import views_search, views_subscriptions, views_trends
from .feeds import PersonalFeed

# Included from radar/urls.py, so names live in the "radar" namespace.
urlpatterns = [
    path("search", views_search.search, name="search"),
    path("trends/", views_trends.rising, name="trends"),
    path("trends/tech/<slug:slug>/", views_trends.technology, name="trend_technology"),
    path("trends/keyword/", views_trends.keyword, name="trend_keyword"),
    path("subscriptions/", views_subscriptions.settings_page, name="subscriptions"),
    path("subscriptions/follow", views_subscriptions.follow, name="subscription_follow"),
    path("subscriptions/token", views_subscriptions.rotate_token, name="subscription_token"),
    path("subscriptions/feed/<str:token>.atom", PersonalFeed(), name="subscription_feed"),
]
