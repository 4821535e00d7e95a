from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running trappen for real: the production server, health checks, scheduled jobs."""

    name = "trappen.operations"
