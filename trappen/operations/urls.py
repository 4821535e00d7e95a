from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("reminders/", views.reminder_choices, name="reminder_choices"),
]
