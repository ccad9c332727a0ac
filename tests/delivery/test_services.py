"""送达 services: the row opened at 办结, pickup code + ID check, posting, reminders,
a result handed out outside the window costing the department (seed 000 第十三条(四))."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from county.rules.models import Rule
from county.workdays.selectors import add_working_days
from sites.delivery import services
from sites.delivery.models import Delivery, DeliveryStatus, Method
from tests.cases.factories import ID_NUMBER, case_make

pytestmark = pytest.mark.django_db
OTHER_ID = "110105198001010016"  # valid checksum, not the applicant


def test_concluding_a_case_opens_its_delivery_with_a_pickup_code(concluded):
    delivery = Delivery.objects.get(case=concluded)
    assert delivery.status == DeliveryStatus.PENDING
    assert len(delivery.pickup_code) == 6 and delivery.pickup_code.isdigit()
    assert delivery.site.code == "t-maan"
    assert delivery.department == concluded.item_version.department
    ready_on = timezone.localdate(concluded.concluded_at)
    assert delivery.collect_by == add_working_days(ready_on, 10).date  # the documented default


def test_open_cases_have_no_delivery(clerk):
    case = case_make(by=clerk, state="accepted")
    assert not Delivery.objects.filter(case=case).exists()


def test_collect_with_code_and_applicant_id_is_recorded_masked(concluded, clerk):
    code = concluded.delivery.pickup_code
    delivery = services.delivery_collect(
        case=concluded, pickup_code=code, collector_name="", collector_id_number=ID_NUMBER, by=clerk
    )
    assert delivery.status == DeliveryStatus.COLLECTED and delivery.method == Method.WINDOW
    assert delivery.collector_id_masked == "110105********002X"
    assert delivery.collector_name == "李四" and not delivery.collector_is_agent
    assert ID_NUMBER not in str(Delivery.objects.filter(pk=delivery.pk).values().first())


def test_wrong_code_and_wrong_person_are_refused_beside_the_field(concluded, clerk):
    code = concluded.delivery.pickup_code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(ValidationError) as exc:
        services.delivery_collect(
            case=concluded,
            pickup_code=wrong,
            collector_name="",
            collector_id_number=ID_NUMBER,
            by=clerk,
        )
    assert "pickup_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.delivery_collect(
            case=concluded,
            pickup_code=code,
            collector_name="王五",
            collector_id_number=OTHER_ID,
            by=clerk,
        )
    assert "collector_id_number" in exc.value.message_dict
    assert Delivery.objects.get(case=concluded).status == DeliveryStatus.PENDING


def test_a_registered_agent_may_collect(concluded, clerk):
    services.delivery_agent_set(case=concluded, name="王五", id_number=OTHER_ID, by=clerk)
    delivery = services.delivery_collect(
        case=concluded,
        pickup_code=concluded.delivery.pickup_code,
        collector_name="王五",
        collector_id_number=OTHER_ID,
        by=clerk,
    )
    assert delivery.collector_is_agent and delivery.collector_id_masked == "110105********0016"
    assert OTHER_ID not in str(Delivery.objects.filter(pk=delivery.pk).values().first())


def test_collected_twice_is_refused(concluded, clerk):
    kwargs = dict(pickup_code=concluded.delivery.pickup_code, collector_name="", by=clerk)
    services.delivery_collect(case=concluded, collector_id_number=ID_NUMBER, **kwargs)
    with pytest.raises(ValidationError):
        services.delivery_collect(case=concluded, collector_id_number=ID_NUMBER, **kwargs)


def test_post_needs_address_carrier_tracking(concluded, clerk):
    with pytest.raises(ValidationError) as exc:
        services.delivery_post(
            case=concluded,
            address="",
            recipient_phone="1",
            carrier="",
            tracking_number="",
            by=clerk,
        )
    assert set(exc.value.message_dict) == {
        "address",
        "recipient_phone",
        "carrier",
        "tracking_number",
    }
    delivery = services.delivery_post(
        case=concluded,
        address="马鞍镇人民路1号",
        recipient_phone="13812345678",
        carrier="中国邮政EMS",
        tracking_number="EM123456789CN",
        by=clerk,
    )
    assert delivery.status == DeliveryStatus.POSTED


def test_another_hall_cannot_deliver_a_case_it_does_not_hold(concluded, clerk, at_site):
    at_site("county")
    with pytest.raises(ValidationError):
        services.delivery_collect(
            case=concluded,
            pickup_code=concluded.delivery.pickup_code,
            collector_name="",
            collector_id_number=ID_NUMBER,
            by=clerk,
        )


def test_reminders_after_the_rule_days_then_every_n_working_days(concluded):
    Rule.objects.create(
        key="delivery.collection",
        scope="site:t-maan",
        value={"days": 2, "remind_every_days": 3},
        changed_at=timezone.now(),
    )
    delivery = concluded.delivery
    delivery.collect_by = timezone.localdate() - timedelta(days=30)
    delivery.save()
    today = timezone.localdate()
    assert services.deliveries_remind(today=today) == 1
    assert services.deliveries_remind(today=today) == 0  # once a day at most
    later = add_working_days(today, 3).date
    assert services.deliveries_remind(today=later) == 1
    assert Delivery.objects.get(pk=delivery.pk).reminders == 2


def test_outside_the_window_costs_the_department_five_points(halls, at_site):
    """seed 000_4e8f74c68f2c2021.txt 第十三条(四):「在政务大厅窗口受理,但未通过窗口取件的,
    每项扣5分」. By hand: base 100, one result handed out outside → that department's
    window at the county hall stands at 100 − 5 = 95, recorded once."""
    from county.assessment.models import PointEntry
    from permissions.roles import Role
    from tests.permissions.factories import staff

    at_site("county")
    user = staff(halls["county"], Role.CLERK)
    case = case_make(by=user, state="concluded")
    services.delivery_outside(case=case, note="部门在原单位办公室发放", by=user)
    entries = PointEntry.objects.filter(rule="not_collected_at_window")
    assert [(e.points, e.source_id) for e in entries] == [(-5, case.number)]
    department = case.item_version.department
    assert entries[0].window.department_code == department.code
    assert 100 + sum(e.points for e in PointEntry.objects.filter(window=entries[0].window)) == 95


def test_at_a_township_the_outside_delivery_goes_to_the_county_as_one_message(concluded, clerk):
    from sync.models import OutboxMessage

    services.delivery_outside(case=concluded, note="部门自行发放", by=clerk)
    sent = OutboxMessage.objects.filter(type="delivery.outside")
    assert sent.count() == 1
    message = sent.get()
    payload = json.loads(message.body)["payload"]
    assert message.dest == "county" and payload["number"] == concluded.number
    assert payload["department"] == concluded.item_version.department.code
    with pytest.raises(ValidationError):  # already delivered: nothing more is sent
        services.delivery_outside(case=concluded, note="again", by=clerk)
    assert sent.count() == 1


def test_a_result_handed_back_is_not_on_the_list_of_the_hall_that_let_it_go(concluded):
    from sites.delivery.selectors import deliveries_pending
    from sites.registry.models import Site

    assert [d.case_id for d in deliveries_pending(site=concluded.owner_site)] == [concluded.pk]
    concluded.owner_site = Site.objects.get(code="v-shiqiao")
    concluded.save(update_fields=["owner_site"])
    assert list(deliveries_pending(site=Site.objects.get(code="t-maan"))) == []


def test_the_county_hears_every_change_and_counts_per_hall_and_month(halls, at_site):
    """The county's own result, opened and posted: its record follows (local apply); the
    statistics count it once, as posted."""
    from permissions.roles import Role
    from sites.delivery.models import DeliveryRecord
    from sites.delivery.selectors import delivery_record_statistics
    from tests.permissions.factories import staff

    at_site("county")
    user = staff(halls["county"], Role.CLERK)
    case = case_make(by=user, state="concluded")
    record = DeliveryRecord.objects.get(number=case.number)
    assert (record.site_code, record.status) == ("county", DeliveryStatus.PENDING)
    services.delivery_post(
        case=case,
        address="青山县人民路1号",
        recipient_phone="13812345678",
        carrier="中国邮政EMS",
        tracking_number="EM1CN",
        by=user,
    )
    assert DeliveryRecord.objects.get(number=case.number).status == DeliveryStatus.POSTED
    day = timezone.localdate(case.concluded_at)
    rows = delivery_record_statistics(sites=["county"], start=day, end=day)
    assert [(r["site_code"], r["ready"], r["posted"], r["uncollected"]) for r in rows] == [
        ("county", 1, 1, 0)
    ]
