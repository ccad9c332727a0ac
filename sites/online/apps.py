from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "sites.online"
    label = "online"
    verbose_name = "网上申报"

    def ready(self) -> None:
        from sites.online import rules  # noqa: F401  (registers the county rule)
