from django.urls import path

from . import homes, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my_home"),
    path("team/", views.team, name="team"),
    path("shared/", homes.shared, name="shared"),
    path("school/", homes.school, name="school"),
    path("privacy/", homes.privacy, name="privacy"),
    path("figures/", homes.figures, name="figures"),
    path("targets/", homes.targets, name="targets"),
    path("team/quality/", views.team_quality, name="team_quality"),
]
