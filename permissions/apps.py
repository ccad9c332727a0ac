from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_permissions(sender, using="default", **kwargs) -> None:
    from permissions.services import permissions_ensure  # models are not ready at import

    permissions_ensure(using=using)


class PermissionsConfig(AppConfig):
    name = "permissions"
    label = "permissions"
    verbose_name = "权限"

    def ready(self) -> None:
        # Runs once the whole migrate is done (sender: this app), creating the custom
        # permission rows on other apps' models. The grants on cases and delegated items
        # follow those apps' own signals: sites.cases.grants, county.catalogue.grants.
        post_migrate.connect(_ensure_permissions, sender=self, dispatch_uid="permissions-ensure")
