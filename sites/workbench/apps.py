from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "sites.workbench"
    label = "workbench"
    verbose_name = "办件工作台"
