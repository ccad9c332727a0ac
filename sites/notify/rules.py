"""Notification texts and the worker's retry rule as county rule data (decision 0013/0027).

The texts can be set county-wide or per item (scope `item:<code>`) or department
(`department:<code>`) on the rules page; each must render within one SMS segment.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from sites.notify.kinds import KINDS, SAMPLE, SEGMENT, render

TEXTS_KEY = "notify.texts"


def _texts_check(value: dict) -> None:
    errors = {}
    for name, text in value.items():
        if name not in KINDS:
            continue
        try:
            out = render(str(text), SAMPLE)
        except ValueError:
            errors[name] = "短信模板有误：花括号须成对，且只能使用说明中的字段。"
            continue
        if len(out) > SEGMENT:
            errors[name] = f"短信内容不能超过 {SEGMENT} 个字(按示例填入后为 {len(out)} 个字)。"
    if errors:
        raise ValidationError(errors)


TEXTS = rule_register(
    key=TEXTS_KEY,
    label="短信通知模板",
    default={name: kind.default for name, kind in KINDS.items()},
    labels={
        name: f"{kind.label}(可用字段：{'、'.join('{' + f + '}' for f in kind.fields)})"
        for name, kind in KINDS.items()
    },
    source="issue 26；seed 001「凭通知书查询办理结果」、一次性告知；每条不超过 70 字",
    check=_texts_check,
)

SENDING_KEY = "notify.sending"
SENDING = rule_register(
    key=SENDING_KEY,
    label="短信发送重试",
    default={"attempts": 8, "backoff_seconds": 30},
    labels={
        "attempts": "每条短信最多发送次数(之后记为发送失败，在状态页和电子监察中显示)",
        "backoff_seconds": "首次重试等待秒数(之后每次加倍)",
    },
    source="issue 26：发送失败重试，重试用尽后告警",
)


def text_for(kind: str, *, scopes: tuple[str, ...] = ()) -> str:
    return str(rule_value(TEXTS_KEY, scopes=scopes).get(kind) or KINDS[kind].default)


def sending() -> dict:
    value = rule_value(SENDING_KEY)
    return {
        "attempts": max(1, min(int(value["attempts"]), 20)),
        "backoff": max(1, min(int(value["backoff_seconds"]), 3600)),
    }
