"""The county rule of 送达 (docs/decisions/0028)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value


def _check(value: dict) -> None:
    for name in ("days", "remind_every_days"):
        if not isinstance(value.get(name), int) or not 1 <= value[name] <= 60:
            raise ValidationError({name: "应为1到60之间的整数(工作日)。"})


COLLECTION = rule_register(
    key="delivery.collection",
    label="办结结果领取与催领",
    default={"days": 10, "remind_every_days": 5},
    labels={
        "days": "办结后应领取的工作日数(文件未规定)",
        "remind_every_days": "逾期未领每隔几个工作日催领一次(文件未规定)",
    },
    source="seed 001：「凭《承诺件通知书》…到受理窗口查询办理结果和交费领件(证)」，未规定领取期限；"
    "seed 000 第十三条(四)：未通过窗口取件的每项扣5分",
    check=_check,
)


def collection_for(*, site_code: str) -> dict:
    return rule_value(COLLECTION.key, scopes=(f"site:{site_code}",))
