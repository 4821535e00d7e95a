from django.urls import path

from . import confirm, views

urlpatterns = [
    path("new/", views.register, name="notification_new"),
    path("lookup/", views.lookup, name="notification_lookup"),
    path("concern/", views.concern, name="notification_concern"),
    path("<int:pk>/", views.detail, name="notification"),
    path("<int:pk>/assess/", views.assess, name="notification_assess"),
    path("<int:pk>/assign/", views.assign, name="notification_assign"),
    path("<int:pk>/reassess/", views.reassess, name="notification_reassess"),
    path("<int:pk>/receipt/", views.receipt, name="notification_receipt"),
    path("<int:pk>/confirm-child/", confirm.confirm_child, name="notification_confirm_child"),
]
