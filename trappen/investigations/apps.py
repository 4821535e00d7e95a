from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "trappen.investigations"
    verbose_name = _("Investigations")
