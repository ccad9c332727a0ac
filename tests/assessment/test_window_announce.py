"""Every window of every hall reaches the county ranking by a sync message (issue 22): a
township's window is announced to the county and ranked from the day it opens."""

from datetime import date

from county.assessment import selectors as s
from county.assessment.models import AssessedStaff, AssessedWindow
from sites.registry.models import Department
from sites.registry.services import window_open
from sync.inbox import inbox_apply
from sync.models import OutboxMessage, QuarantinedMessage
from tests.support.inject import envelope_dict, signed

NOV = s.month_range(2026, 11)


def bodies(type_: str) -> list[bytes]:
    rows = OutboxMessage.objects.filter(type=type_, dest="county").order_by("id")
    return [r.body.encode() for r in rows]


def test_a_township_window_reaches_the_county_ranking_by_message(tree, settings):
    """马鞍镇 opens 3号窗口 (民政) and places 刘七 there: the township writes nothing of the
    county's, it sends two messages; the county, receiving them, ranks 马鞍镇 3号窗口 at the
    base 100 before any point, with 刘七 among its staff. Before: a township window was
    unknown to the county until it lost or gained a point."""
    from permissions.services import staff_create

    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    mzj = Department.objects.get(code="mzj")
    window = window_open(site=tree["t-maan"], department=mzj, number="3", name="民政窗口")
    user = staff_create(
        username="t-maan-liu", name="刘七", site=tree["t-maan"], roles=["clerk"], password=None
    )
    user.staff.window = window
    user.staff.save()
    assert not AssessedWindow.objects.filter(site_code="t-maan").exists()
    windows, people = bodies("assessment.window"), bodies("assessment.staff")
    assert len(windows) == 1 and len(people) >= 1

    settings.HALL_SITE, settings.HALL_TIER = "county", "county"
    inbox_apply(bodies=windows + people)
    inbox_apply(bodies=windows)  # redelivered: nothing new
    assessed = AssessedWindow.objects.get(site_code="t-maan", number="3")
    assert (assessed.name, assessed.department_code, assessed.site_name) == (
        "民政窗口",
        "mzj",
        "马鞍镇便民服务中心",
    )
    assert AssessedStaff.objects.get(site_code="t-maan", username="t-maan-liu").window == assessed
    rows = {
        (r.subject.site_code, r.subject.number): r.score
        for r in s.window_standings(start=NOV[0], end=NOV[1])
    }
    assert rows[("t-maan", "3")] == 100
    assert date(2026, 11, 1) == NOV[0]


def test_a_hall_speaks_only_for_its_own_windows(tree, settings):
    """A village's message about a window of 黄滩镇 is refused (quarantined), nothing kept."""
    settings.HALL_SITE, settings.HALL_TIER = "county", "county"
    payload = {
        "site_code": "t-huangtan",
        "site_name": "黄滩镇便民服务中心",
        "number": "9",
        "name": "冒名窗口",
        "department_code": "mzj",
        "department_name": "民政局",
    }
    data = envelope_dict(
        origin="v-shiqiao", dest="county", type="assessment.window", payload=payload
    )
    inbox_apply(bodies=[signed(data).encode()])
    assert not AssessedWindow.objects.filter(site_code="t-huangtan", number="9").exists()
    (held,) = QuarantinedMessage.objects.all()
    assert "窗口所属站点与消息来源不符" in held.reason
    # the same message from 黄滩镇 itself is taken
    data = envelope_dict(
        origin="t-huangtan", dest="county", type="assessment.window", payload=payload
    )
    inbox_apply(bodies=[signed(data).encode()])
    assert AssessedWindow.objects.filter(site_code="t-huangtan", number="9").exists()


def test_windows_opened_before_the_messages_are_announced_by_the_command(tree, settings):
    """After the upgrade: `hall windows_announce` at 马鞍镇 sends every window it has."""
    from django.core.management import call_command

    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    mzj = Department.objects.get(code="mzj")
    window_open(site=tree["t-maan"], department=mzj, number="4", name="民政窗口")
    OutboxMessage.objects.filter(type="assessment.window").delete()  # as if sent by nobody
    call_command("windows_announce")
    windows = bodies("assessment.window")
    assert len(windows) == 1
    settings.HALL_SITE, settings.HALL_TIER = "county", "county"
    inbox_apply(bodies=windows)
    assert AssessedWindow.objects.filter(site_code="t-maan", number="4").exists()
