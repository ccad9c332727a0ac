"""Deemed consent is polled by beat (no broker ETA), also runnable as `hall joint_tick`."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from sites.joint.models import Part
from tests.joint.conftest import joint_case

pytestmark = pytest.mark.django_db


def test_beat_polls_deemed_consent_every_five_minutes():
    from deploy.celery import app

    app.loader.import_default_modules()
    tick = app.conf.beat_schedule["joint-deem-tick"]
    assert (tick["task"], tick["schedule"]) == ("joint.deem_tick", 300.0)
    assert "joint.deem_tick" in app.tasks


def test_the_tick_task_and_the_command_deem_overdue_parts(lead_clerk, capsys):
    from sites.joint.tasks import deem_tick

    # given a case accepted today, its parts with four working days each
    case = joint_case(by=lead_clerk, when=None)
    assert deem_tick() == {"deemed": 0}  # not today: the parts still have time
    deadline = Part.objects.filter(case=case).first().deadline
    call_command("joint_tick", today=(deadline + timedelta(days=1)).isoformat())
    assert "逾期默认 3 个联办环节" in capsys.readouterr().out
    assert set(Part.objects.values_list("state", flat=True)) == {"deemed"}
