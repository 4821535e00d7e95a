from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("children/", views.find_child, name="find"),
    path("children/<int:pk>/report/", views.report_page, name="report"),
    path("children/<int:pk>/report.json", views.report_json, name="report_json"),
]
