from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("cases/<int:pk>/activities/new/", views.activity_add, name="add"),
]
