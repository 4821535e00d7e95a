from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("cases/<int:pk>/network-meetings/new/", views.meeting_add, name="meeting_add"),
    path("network-meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("network-meetings/<int:pk>/invitation/", views.invitation, name="invitation"),
    path("network-meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("network-meetings/<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
]
