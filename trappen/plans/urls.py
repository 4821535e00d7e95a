from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/action-plan/", views.current, name="action_plan"),
    path("<int:pk>/action-plan/new/", views.revise, name="revise"),
    path("<int:pk>/action-plan/<int:number>/", views.revision, name="revision"),
]
