"""One dispatch inside a hall (ADR 0026): every recorded case event is announced once with
`sites.cases.signals.case_changed`, inside the change's transaction."""

import pytest
from django.core.exceptions import ValidationError

from sites.cases import services, signals
from sites.cases.models import CaseEvent, EventType
from tests.cases.factories import case_make, clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    found = []

    def listener(sender, case, event, here, **kwargs):
        found.append((case.number, event.type, here.code, event.pk is not None))

    signals.case_changed.connect(listener, dispatch_uid="test-case-changed")
    yield found
    signals.case_changed.disconnect(dispatch_uid="test-case-changed")


def test_every_event_of_a_case_is_announced_once_in_order(township, heard):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    services.case_withdraw(case=case, by=user, reason="申请人撤回")
    types = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("type", flat=True))
    assert [t for _, t, _, _ in heard] == types
    assert types[0] == EventType.SUBMITTED and types[-1] == EventType.WITHDRAWN
    assert {(n, code, saved) for n, _, code, saved in heard} == {(case.number, "t-maan", True)}


def test_a_refused_action_announces_nothing(township, heard):
    user = clerk(township)
    case = case_make(by=user, state="submitted")
    heard.clear()
    with pytest.raises(ValidationError):
        services.case_extend(case=case, by=user, days=3, reason="x")  # not accepted yet
    assert heard == []


def test_a_listener_that_refuses_rolls_the_change_back(township):
    user = clerk(township)
    case = case_make(by=user, state="submitted")

    def refuse(sender, event, **kwargs):
        if event.type == EventType.WITHDRAWN:
            raise ValidationError({"case": "不行"})

    signals.case_changed.connect(refuse, dispatch_uid="test-case-changed-refuse")
    try:
        with pytest.raises(ValidationError):
            services.case_withdraw(case=case, by=user, reason="申请人撤回")
    finally:
        signals.case_changed.disconnect(dispatch_uid="test-case-changed-refuse")
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not CaseEvent.objects.filter(case=case, type=EventType.WITHDRAWN).exists()
