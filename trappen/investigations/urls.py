from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/investigation/start/", views.start, name="investigation_start"),
    path("investigations/<int:pk>/", views.detail, name="investigation"),
    path("investigations/<int:pk>/network/", views.add_network_entry, name="network_add"),
    path("investigations/<int:pk>/complete/", views.complete, name="investigation_complete"),
    path("investigations/<int:pk>/awareness/", views.awareness, name="investigation_awareness"),
    path(
        "investigations/<int:pk>/preliminary/",
        views.preliminary,
        name="investigation_preliminary",
    ),
    path("sibling-tasks/<int:pk>/", views.sibling_task, name="sibling_task"),
]
