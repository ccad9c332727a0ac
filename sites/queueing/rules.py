"""The county rules of appointments and queues (docs/decisions/0013): opening hours, slot
length and capacity, how far ahead one may book, check-in window, ticket prefixes.

Read with the scopes a hall knows: ("site:<code>", "department:<code>"), the first set wins.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value


def _hours_check(value: dict) -> None:
    for name in ("open", "close", "lunch_start", "lunch_end"):
        text = str(value.get(name, ""))
        parts = text.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValidationError({name: "时间应写作 时:分，如 08:30。"})
    if value["open"] >= value["close"]:
        raise ValidationError({"close": "下班时间应晚于上班时间。"})
    if value["slot_minutes"] < 5 or value["capacity"] < 1:
        raise ValidationError({"slot_minutes": "时段至少5分钟，每时段至少可约1人。"})


HOURS = rule_register(
    key="queueing.hours",
    label="大厅办公时间与预约时段",
    default={
        "open": "08:30",
        "close": "17:30",
        "lunch_start": "12:00",
        "lunch_end": "13:00",
        "slot_minutes": 30,
        "capacity": 4,
        "days_ahead": 7,
        "checkin_early_minutes": 30,
        "checkin_late_minutes": 15,
    },
    labels={
        "open": "上班时间",
        "close": "下班时间",
        "lunch_start": "午休开始",
        "lunch_end": "午休结束",
        "slot_minutes": "每个预约时段(分钟)",
        "capacity": "每时段可预约人数",
        "days_ahead": "可提前预约的工作日数",
        "checkin_early_minutes": "可提前签到(分钟)",
        "checkin_late_minutes": "迟到仍可签到(分钟)",
    },
    source="seed 001 第四条：上午8:30至12:00，下午13:00至17:30(第五条 午休12:00至13:00)；"
    "预约时段为通行做法",
    check=_hours_check,
)

TICKETS = rule_register(
    key="queueing.tickets",
    label="排队取号",
    default={"prefix": "", "max_per_day": 999},
    labels={"prefix": "号码字母(空则取部门编码首字母)", "max_per_day": "每日最多取号数"},
    source="政务服务排队叫号通行做法",
)


COMBINED = rule_register(
    key="queueing.combined_windows",
    label="综合窗口",
    default={"allowed": True, "max_departments": 6},
    labels={
        "allowed": "本大厅可设综合窗口(一个窗口办理多个部门事项)",
        "max_departments": "综合窗口最多兼办部门数",
    },
    source="seed 000：「设置独立窗口和综合窗口“三种进厅形式”」；seed 003：3个综合窗口；"
    "叫号顺序同排队规则(转移件、预约签到优先，再按入队先后)",
)


def combined_for(*, site_code: str) -> dict:
    return rule_value(COMBINED.key, scopes=(f"site:{site_code}",))


def hours_for(*, site_code: str, department_code: str) -> dict:
    return rule_value(HOURS.key, scopes=(f"site:{site_code}", f"department:{department_code}"))


def tickets_for(*, site_code: str, department_code: str) -> dict:
    return rule_value(TICKETS.key, scopes=(f"site:{site_code}", f"department:{department_code}"))
