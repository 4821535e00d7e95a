from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "trappen.drafts"
    verbose_name = _("Drafts")
