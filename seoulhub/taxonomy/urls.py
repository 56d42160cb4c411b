from django.urls import path

from . import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.technology_list, name="list"),
    path("<slug:slug>/", views.technology_detail, name="detail"),
]
