from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "roster"
    verbose_name = "Roster"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the signal receivers)
        from .kinds import register_kinds

        register_kinds()
