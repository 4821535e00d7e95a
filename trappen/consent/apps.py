from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "trappen.consent"
