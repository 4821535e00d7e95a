from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "trappen.security"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .logging import install_on_root

        install_on_root()
        # Failed logins reach the audit log summarised by the login throttle
        # (lockout._audit_failure), not one entry per attempt: the audit app's per-attempt
        # receiver is switched off (the audit app is ready before this one).
        user_login_failed.disconnect(dispatch_uid="audit-login-failed")
        # After a login, the forms kept at the idle timeout are offered again (kept.py).
        from django.contrib.auth.signals import user_logged_in

        from .kept import on_login

        user_logged_in.connect(on_login, dispatch_uid="security-kept-input")
