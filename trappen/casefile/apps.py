from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CasefileConfig(AppConfig):
    name = "trappen.casefile"
    verbose_name = "Case file"

    def ready(self) -> None:
        # Each app's contributions: `<app>/casefile.py` (timeline events, the case-page panel)
        # and `<app>/calendar.py` (calendar events), as the admin finds `admin.py`.
        autodiscover_modules("casefile")
        autodiscover_modules("calendar")
