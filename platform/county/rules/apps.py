from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "county.rules"
    label = "rules"
    verbose_name = "县级规则"
