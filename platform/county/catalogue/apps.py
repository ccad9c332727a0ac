from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "county.catalogue"
    label = "catalogue"
    verbose_name = "事项目录"

    def ready(self) -> None:
        from county.catalogue import grants  # noqa: F401  (connects receivers; models ready now)
