from django.urls import path

from . import views

app_name = "simulation"
urlpatterns = [
    path("simulation/", views.page, name="page"),
    path("staffing/", views.staffing, name="staffing"),
    path("business-case/", views.business_case, name="business_case"),
]
