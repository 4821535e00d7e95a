from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/measures/new/", views.add, name="episode_add"),
    path("measures/<int:pk>/end/", views.end, name="episode_end"),
]
