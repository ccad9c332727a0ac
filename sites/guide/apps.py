from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "sites.guide"
    label = "guide"
    verbose_name = "办事指南"
