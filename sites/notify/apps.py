from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "sites.notify"
    label = "notify"
    verbose_name = "短信通知"

    def ready(self) -> None:
        from sites.notify import hooks, rules  # noqa: F401  (registers the rules and receivers)
