from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "trappen.organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the account audit)
