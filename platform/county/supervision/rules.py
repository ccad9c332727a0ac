"""The county's supervision rules (docs/decisions/0013): thresholds per item or department,
the watch on 容缺 due dates, supplement periods and joint parts, and the order deadline.
Defaults are the seeds' practice; the county edits them at /guize/ and every release carries
them to the halls, where the same ticks read them."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register


def _check_thresholds(value: dict) -> None:
    if value["warning_days"] < 0:
        raise ValidationError({"warning_days": "预警天数不能为负数"})
    if not 0 <= value["warning_share"] < 1:
        raise ValidationError({"warning_share": "预警比例应在 0(不用) 与 1 之间"})


THRESHOLDS = rule_register(
    key="supervision.thresholds",
    label="电子监察预警与超时规则",
    default={"warning_days": 1, "warning_share": 0.0, "red_after_days": 0},
    labels={
        "warning_days": "剩余工作日不多于此数时亮黄灯",
        "warning_share": "已用时间达到承诺时限的此比例时亮黄灯(0 表示不用)",
        "red_after_days": "超过办结期限此数个工作日后亮红灯(0 为期限次日)",
    },
    source="seed 001 第三十条；电子监察：预警(黄灯)、超时(红灯)",
    check=_check_thresholds,
)

WATCH = rule_register(
    key="supervision.watch",
    label="电子监察环节监控",
    default={"deferred_warning_days": 1, "supplement_warning_days": 10, "part_warning_days": 1},
    labels={
        "deferred_warning_days": "容缺材料补交期限前此数个工作日亮黄灯",
        "supplement_warning_days": "一次性告知补正后此数个工作日仍未补齐亮黄灯",
        "part_warning_days": "联办部门意见期限前此数个工作日亮黄灯",
    },
    source="容缺受理、一次性告知、联审联办(逾期默认)",
)

ORDERS = rule_register(
    key="supervision.orders",
    label="督办答复时限",
    default={"answer_days": 3},
    labels={"answer_days": "督办单答复时限(工作日)"},
    source="seed 001 第三十条：中心确认后责令部门作出决定",
)


def scopes_for(*, item_code: str, department_code: str) -> tuple[str, ...]:
    return (f"item:{item_code}", f"department:{department_code}")
