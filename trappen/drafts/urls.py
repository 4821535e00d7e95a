from django.urls import path

from . import views

app_name = "drafts"

urlpatterns = [
    path("journal/<int:case_pk>/", views.journal, name="journal"),
    path("minutes/<int:meeting_pk>/", views.minutes, name="minutes"),
    path("<int:pk>/", views.show, name="draft"),
    path("<int:pk>/discard/", views.discard, name="discard"),
]
