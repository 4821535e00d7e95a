from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("cases/<int:pk>/consents/new/", views.add, name="add"),
    path("consents/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<int:pk>/share/", views.share, name="share"),
    path("sharings/<int:pk>/end/", views.unshare, name="unshare"),
    path("cases/<int:pk>/break-the-glass/", views.break_glass, name="break_glass"),
    path("break-the-glass/", views.break_glass_list, name="break_glass_list"),
]
