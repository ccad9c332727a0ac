from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "county.supervision"
    label = "supervision"
    verbose_name = "电子监察与统计"

    def ready(self) -> None:
        # these import models: only once the app registry is ready
        from county.assessment.services import points_source_register
        from county.supervision import (
            receivers,
            rules,  # noqa: F401  (registers the county rules)
        )

        points_source_register(receivers.ORDER_SOURCE, label="督办单")
