from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sites.registry"
    label = "registry"
    verbose_name = "站点与窗口"
