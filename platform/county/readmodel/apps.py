from django.apps import AppConfig


class ReadmodelConfig(AppConfig):
    name = "county.readmodel"
    label = "readmodel"
    verbose_name = "全县办件视图"
