"""The node's celery app: periodic tasks that poll the database (beat), run by a worker.

Business deadlines live in the database; beat only says "look now". No task is scheduled
with a broker ETA. Each hall has its own queue so that halls sharing a broker never run
each other's tasks.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deploy.settings.node")

app = Celery("halls")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _beat_schedule(sender, **kwargs) -> None:
    # The task modules import models: only once Celery has configured Django's app registry.
    from county.assessment.tasks import BEAT_SCHEDULE as FEEDBACK_SCHEDULE  # noqa: PLC0415
    from county.supervision.tasks import BEAT_SCHEDULE as SUPERVISION_SCHEDULE  # noqa: PLC0415
    from sites.cases.tasks import BEAT_SCHEDULE  # noqa: PLC0415
    from sites.delivery.tasks import BEAT_SCHEDULE as DELIVERY_SCHEDULE  # noqa: PLC0415
    from sites.joint.tasks import BEAT_SCHEDULE as JOINT_SCHEDULE  # noqa: PLC0415
    from sites.notify.tasks import BEAT_SCHEDULE as NOTIFY_SCHEDULE  # noqa: PLC0415

    sender.conf.beat_schedule = {
        **BEAT_SCHEDULE,
        **JOINT_SCHEDULE,
        **FEEDBACK_SCHEDULE,
        **SUPERVISION_SCHEDULE,
        **NOTIFY_SCHEDULE,
        **DELIVERY_SCHEDULE,
    }
