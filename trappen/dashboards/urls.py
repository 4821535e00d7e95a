from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my_home"),
    path("team/", views.team, name="team"),
]
