from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = "Rankings"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the signal receivers)
