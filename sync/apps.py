import importlib

from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules


class SyncConfig(AppConfig):
    name = "sync"
    label = "sync"
    verbose_name = "同步"

    def ready(self) -> None:
        # Handlers register themselves in each app's appliers.py (sync's own included).
        autodiscover_modules("appliers")
        for module in settings.HALL_SYNC_APPLIER_MODULES:
            importlib.import_module(module)
