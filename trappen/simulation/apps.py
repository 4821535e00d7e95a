from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "trappen.simulation"
    verbose_name = _("Simulation")
