from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trappen.audit"

    def ready(self) -> None:
        from . import signals

        signals.connect()
        signals.install_command_hook()
