from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.mark_read, name="read"),
]
