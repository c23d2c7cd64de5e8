from django.apps import AppConfig


class VrsConfig(AppConfig):
    name = "vrs"
    verbose_name = "Valve Regional Standings import"
