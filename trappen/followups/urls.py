from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("measures/<int:pk>/follow-ups/new/", views.record, name="record"),
    path("measures/<int:pk>/reports/new/", views.record_report, name="provider_report_record"),
    path("measures/<int:pk>/exceptions/", views.approve_exception, name="exception_approve"),
    path("exceptions/<int:pk>/withdraw/", views.withdraw_exception, name="exception_withdraw"),
    path("follow-ups/", views.my_due, name="my_due"),
    path("follow-ups/team/", views.team_due, name="team_due"),
    path("follow-ups/calendar/", views.calendar_token, name="calendar_token"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
