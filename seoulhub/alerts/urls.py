from django.urls import path

from . import views
from .feeds import PersonalFeed

app_name = "alerts"

urlpatterns = [
    path("", views.index, name="index"),
    path("follow", views.follow_view, name="follow"),
    path("token", views.rotate_token, name="token"),
    path("feed/<str:token>.atom", PersonalFeed(), name="feed"),
]
