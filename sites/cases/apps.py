from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sites.cases"
    label = "cases"
    verbose_name = "办件"
