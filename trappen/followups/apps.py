from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "trappen.followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        from .logging import install_on_root

        install_on_root()  # calendar-feed tokens never reach a log
