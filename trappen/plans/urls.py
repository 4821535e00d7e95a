from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/action-plan/", views.current, name="action_plan"),
    path("<int:pk>/action-plan/new/", views.revise, name="action_plan_revise"),
    path("<int:pk>/action-plan/<int:number>/", views.revision, name="action_plan_revision"),
]
