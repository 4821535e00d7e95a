from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "trappen.evaluation"
    verbose_name = _("Evaluation and steering")

    def ready(self) -> None:
        from trappen.evaluation import limits

        # Saves and imports replace the data version the steering's cache is keyed by.
        limits.connect_signals()
