from django.apps import AppConfig


class InvitesConfig(AppConfig):
    name = "invites"
    verbose_name = "Invites and join requests"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the signal receivers)
        from .kinds import register_kinds

        register_kinds()
