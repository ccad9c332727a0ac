from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "sites.queueing"
    label = "queueing"
    verbose_name = "预约与排队叫号"

    def ready(self) -> None:
        from sites.queueing import rules  # noqa: F401  (registers the county rules; after models load)
