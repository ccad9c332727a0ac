from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "sites.joint"
    label = "joint"
    verbose_name = "联审联办"

    def ready(self) -> None:
        # these import models: only once the app registry is ready
        from county.catalogue.models import HandlingType
        from sites.cases.lifecycle import hooks_register
        from sites.joint import receivers  # noqa: F401  (connects signal receivers)
        from sites.joint.actions import joint_actions_register
        from sites.joint.hooks import JointHooks

        hooks_register(HandlingType.JOINT, JointHooks())
        joint_actions_register()
