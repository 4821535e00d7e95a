from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("cases/<int:pk>/measures/new/", views.add, name="episode_add"),
    path("measures/<int:pk>/end/", views.end, name="episode_end"),
    path("measures/<int:pk>/exit-plan/", views.exit_plan, name="episode_exit_plan"),
    path("visitation/<int:pk>/", views.decide, name="visitation_decide"),
]
