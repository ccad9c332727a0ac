from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sites.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from sites.cases import grants  # noqa: F401  (connects receivers; models are ready now)
