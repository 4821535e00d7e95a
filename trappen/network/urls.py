from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("network-meetings/", views.overview, name="overview"),
    path("network-meetings/new/", views.meeting_before_case, name="meeting_before_case"),
    path("network-meetings/<int:pk>/consent/", views.consent, name="consent"),
    path("network-meetings/<int:pk>/minutes/send/", views.send_minutes, name="send_minutes"),
    path("cases/<int:pk>/network-meetings/new/", views.meeting_add, name="meeting_add"),
    path("network-meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("network-meetings/<int:pk>/invitation/", views.invitation, name="invitation"),
    path("network-meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("network-meetings/<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
]
