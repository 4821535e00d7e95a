from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("stay/", views.stay, name="stay"),
    path("kept/", views.resume, name="resume"),
    path("kept/<int:pk>/discard/", views.discard, name="discard"),
]
