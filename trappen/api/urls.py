from django.urls import path, re_path

from .api import api, not_found

app_name = "api"
# Ninja's own patterns join this namespace (api.urls would nest a second "api:" inside it).
ninja_patterns, _, _ = api.urls

urlpatterns = [
    path("", not_found, name="root"),  # before ninja's root, which answers the HTML 404
    *ninja_patterns,
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),  # after every API address
]
