from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="notices"),
    path("read/", views.mark_read, name="notices_read"),
]
