from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sites.feedback"
    label = "feedback"
    verbose_name = "好差评与投诉"

    def ready(self) -> None:
        from sites.feedback import rules  # noqa: F401  (registers the rules)
