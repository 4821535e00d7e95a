from django.urls import path, re_path

from .api import api, not_found

urlpatterns = [
    path("", not_found, name="api_root"),  # before ninja's root, which answers the HTML 404
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found, name="api_not_found"),  # after every API address
]
