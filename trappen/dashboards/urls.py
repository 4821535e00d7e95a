from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my_home"),
    path("team/", views.team, name="team"),
]
