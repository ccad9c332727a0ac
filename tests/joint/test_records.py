"""The county's part read model: folded from case events, whichever hall leads."""

from types import SimpleNamespace

import pytest

from sites.cases.outbound import event_payload
from sites.joint.appliers import case_event_parts
from sites.joint.models import PartRecord
from sites.joint.records import part_records_apply
from sync.api import Reject
from tests.joint.conftest import joint_case

pytestmark = pytest.mark.django_db


def payloads(case):
    return [event_payload(case, e) for e in case.events.select_related("site").order_by("seq")]


def test_events_from_a_township_lead_build_the_records_in_any_order(lead_clerk):
    from sites.joint.services import part_opinion_give

    case = joint_case(by=lead_clerk)
    wjj = case.parts.get(department__code="wjj")
    part_opinion_give(part=wjj, by=lead_clerk, opinion="disagree", reasons="不合格")
    case.refresh_from_db()
    events = payloads(case)
    PartRecord.objects.all().delete()
    # given the events arrive newest first (another hall's messages may cross)
    for payload in reversed(events):
        part_records_apply(payload=payload)
    # then each record holds the state of the highest seq, and replays change nothing
    assert PartRecord.objects.get(key=wjj.key).opinion == "disagree"
    assert PartRecord.objects.count() == 3
    assert sum(part_records_apply(payload=p) for p in events) == 0


def test_the_applier_refuses_an_event_claiming_another_site(lead_clerk, settings):
    case = joint_case(by=lead_clerk)
    opened = payloads(case)[-1]
    PartRecord.objects.all().delete()
    envelope = SimpleNamespace(origin="t-maan", aggregate=case.number, payload=opened)
    with pytest.raises(Reject, match="站点与消息来源不符"):
        case_event_parts(envelope)
    envelope.origin = "county"
    case_event_parts(envelope)
    assert PartRecord.objects.count() == 3
    # elsewhere than the county it does nothing
    settings.HALL_TIER = "township"
    PartRecord.objects.all().delete()
    case_event_parts(envelope)
    assert not PartRecord.objects.exists()
