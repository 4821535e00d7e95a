from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("children/<int:child_pk>/", views.child_history, name="child_history"),
]
