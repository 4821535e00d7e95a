from django.urls import path

from . import search, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("search/", search.search, name="search"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/journal/", views.journal_add, name="journal_add"),
    path("<int:pk>/early-steps/new/", views.early_step_add, name="early_step_add"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/receive/", views.receive, name="receive"),
    path("<int:pk>/complaints/new/", views.complaint_add, name="complaint_add"),
    path("complaints/<int:pk>/outcome/", views.complaint_outcome, name="complaint_outcome"),
    path("handover/", views.handover, name="handover"),
]
