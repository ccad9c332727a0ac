from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "sites.citizen"
    label = "citizen"
    verbose_name = "群众查询"
