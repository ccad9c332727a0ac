from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "sites.delivery"
    label = "delivery"
    verbose_name = "送达"

    def ready(self) -> None:
        from sites.cases.serializers import detail_field_add
        from sites.delivery import appliers, receivers, rules  # noqa: F401  (registers)
        from sites.delivery.serializers import CaseDeliveryField

        detail_field_add("delivery", CaseDeliveryField(help_text="送达(办结后；本站未送达为空)"))
