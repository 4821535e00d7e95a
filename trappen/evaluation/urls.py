from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("excel/", views.workbook, name="workbook"),
    path("statistics/", views.statistics, name="statistics"),
]
