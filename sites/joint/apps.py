from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "sites.joint"
    label = "joint"
    verbose_name = "联审联办"

    def ready(self) -> None:
        from sites.joint import receivers  # noqa: F401  (connects signal receivers)
