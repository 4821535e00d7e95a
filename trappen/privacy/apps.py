from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "trappen.privacy"
