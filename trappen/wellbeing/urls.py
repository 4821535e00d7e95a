from django.urls import path

from . import views

app_name = "wellbeing"
urlpatterns = [
    path("cases/<int:pk>/sdq/new/", views.sdq_add, name="sdq_add"),
]
