from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "sites.delivery"
    label = "delivery"
    verbose_name = "送达"

    def ready(self) -> None:
        from sites.delivery import appliers, receivers, rules  # noqa: F401  (registers)
