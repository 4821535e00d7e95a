from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.team_calendar, name="calendar"),
    path("series/new/", views.series_new, name="series_new"),
    path("submit/", views.submit, name="submit"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("<int:pk>/order/", views.agenda_order, name="agenda_order"),
    path("<int:pk>/coordinator/", views.coordinator, name="coordinator"),
    path("items/<int:pk>/parents/", views.item_parents, name="item_parents"),
    path("items/<int:pk>/parents-called/", views.item_parents_called, name="item_parents_called"),
    path("<int:pk>/minutes/send/", views.minutes_send, name="minutes_send"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/agreements/", views.agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/close/", views.agreement_close, name="agreement_close"),
]
