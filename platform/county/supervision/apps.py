from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "county.supervision"
    label = "supervision"
    verbose_name = "电子监察与统计"

    def ready(self) -> None:
        from county.supervision import (
            receivers,  # noqa: F401  (rolls the read model up)
            rules,  # noqa: F401  (registers the county rules)
        )
