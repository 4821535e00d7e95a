from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "trappen.audit"

    def ready(self) -> None:
        from . import roles, signals

        signals.connect()
        signals.install_command_hook()
        # After every migrate: the application's database role gets its grants, and no more.
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="audit-app-role")
