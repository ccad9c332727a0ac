from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "sites.notify"
    label = "notify"
    verbose_name = "短信通知"

    def ready(self) -> None:
        from sites.notify import hooks, queue, rules  # noqa: F401  (rules and receivers)
