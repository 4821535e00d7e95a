from django.urls import path

from . import views

app_name = "investigations"

urlpatterns = [
    path("cases/<int:pk>/investigation/start/", views.start, name="start"),
    path("investigations/<int:pk>/", views.detail, name="investigation"),
    path("investigations/<int:pk>/network/", views.add_network_entry, name="network_add"),
    path("investigations/<int:pk>/complete/", views.complete, name="complete"),
    path("investigations/<int:pk>/areas/", views.areas, name="areas"),
    path("investigations/<int:pk>/awareness/", views.awareness, name="awareness"),
    path(
        "investigations/<int:pk>/preliminary/",
        views.preliminary,
        name="preliminary",
    ),
    path("sibling-tasks/<int:pk>/", views.sibling_task, name="sibling_task"),
]
