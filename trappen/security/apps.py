from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "trappen.security"

    def ready(self) -> None:
        from .logging import install_on_root

        install_on_root()
