from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "county.assessment"
    label = "assessment"
    verbose_name = "窗口考核"

    def ready(self) -> None:
        from county.assessment import (  # noqa: F401  (registers the rules and receivers)
            receivers,
            rules,
        )
