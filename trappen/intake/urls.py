from django.urls import path

from . import confirm, roster, views

app_name = "intake"

urlpatterns = [
    path("new/", views.register, name="new"),
    path("lookup/", views.lookup, name="lookup"),
    path("concern/", views.concern, name="concern"),
    path("mine/", views.mine, name="mine"),
    path("duty/", roster.roster, name="duty"),
    path("duty/<int:pk>/remove/", roster.remove, name="duty_remove"),
    path("<int:pk>/", views.detail, name="notification"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/reassess/", views.reassess, name="reassess"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/urgent-handled/", views.urgent_handled, name="urgent_handled"),
    path("<int:pk>/confirm-child/", confirm.confirm_child, name="confirm_child"),
]
