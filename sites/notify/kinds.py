"""The notification kinds: one table, one default text per kind (county rule data).

Every text is a Python format string over the context fields the caller passes; a field
the caller leaves out renders blank, never as an error. Defaults are in the seeds'
tone and fit one SMS segment (70 Chinese characters) with realistic values
(tests/notify/test_templates.py renders each one).

| kind | when | context fields |
|---|---|---|
| receipt | 收件 (case filed) | number, item, hall |
| supplement_requested | 一次性告知补正 | number, items |
| supplement_completed | 补办件补齐材料 | number, date |
| accepted | 受理 | number, item, date (承诺办结日) |
| extended | 延期 | number, date (new deadline) |
| decided | 办结 / 会签办结 | number, item, outcome |
| refused | 不予受理 | number, reason |
| returned | 退办 | number, reason |
| result_ready | 结果待领取 (sites/delivery) | number, hall, place (window, optional), until |
| result_posted | 结果已寄出 (sites/delivery) | number, carrier, tracking |
| collect_reminder | 领取提醒 (sites/delivery) | number, hall, place (optional) |
| rating_invitation | 好差评邀请 | number, hall |
| appointment_confirmed | 预约成功 (sites/queueing) | hall, department, day, period |
| appointment_reminder | 预约前一工作日提醒 (sites/queueing) | hall, department, day, period |
| queue_near | 前面还有 3 位 (sites/queueing) | ticket, ahead, window |

`hall` (this hall's name) and `number` (the case's number) are filled in by `notify` when a
case is given; callers pass the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

SEGMENT = 70  # characters of one SMS segment (Chinese text, UCS-2)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    default: str
    fields: tuple[str, ...]


def _k(name, label, default, fields):
    return name, Kind(name, label, default, tuple(fields.split()))


KINDS: dict[str, Kind] = dict(
    [
        _k(
            "receipt",
            "收件回执",
            "您的“{item}”申请已由{hall}收件，编号{number}，请凭编号和查询码查询进度。",
            "number item hall",
        ),
        _k(
            "supplement_requested",
            "一次性告知补正",
            "办件{number}需补正材料：{items}。请一次补齐后到{hall}提交，时限自补齐之日起计算。",
            "number items hall",
        ),
        _k(
            "supplement_completed",
            "补正材料齐全",
            "办件{number}补正材料已齐全，{date}起重新计算办理时限，请留意后续通知。",
            "number date",
        ),
        _k(
            "accepted",
            "受理通知",
            "您的“{item}”申请已受理，编号{number}，承诺于{date}前办结。",
            "number item date",
        ),
        _k(
            "extended",
            "延期通知",
            "办件{number}依规延期办理，办结期限延至{date}，给您带来不便敬请谅解。",
            "number date",
        ),
        _k(
            "decided",
            "办结通知",
            "您的“{item}”申请（编号{number}）已办结，结果：{outcome}。",
            "number item outcome",
        ),
        _k(
            "refused",
            "不予受理通知",
            "办件{number}不予受理，理由：{reason}。如有疑问请咨询{hall}窗口。",
            "number reason hall",
        ),
        _k(
            "returned",
            "退办通知",
            "办件{number}已退办，理由：{reason}。如有疑问请咨询{hall}窗口。",
            "number reason hall",
        ),
        _k(
            "result_ready",
            "结果待领取",
            "办件{number}的结果已可领取，请于{until}前凭取件码和身份证到{hall}{place}领取。",
            "number hall place until",
        ),
        _k(
            "result_posted",
            "结果已寄出",
            "办件{number}的结果已由{carrier}寄出，运单号{tracking}，请注意查收。",
            "number carrier tracking",
        ),
        _k(
            "collect_reminder",
            "领取提醒",
            "办件{number}的办理结果尚未领取，请尽快凭取件码和身份证到{hall}{place}领取。",
            "number hall place",
        ),
        _k(
            "rating_invitation",
            "好差评邀请",
            "办件{number}已办结，请对{hall}的服务作出评价，您的意见是我们改进的依据。",
            "number hall",
        ),
        _k(
            "appointment_confirmed",
            "预约成功",
            "您已预约{day}{period}到{hall}{department}办事，请按时到达并凭预约码签到。",
            "hall department day period",
        ),
        _k(
            "appointment_reminder",
            "预约提醒",
            "提醒：您预约了{day}{period}到{hall}{department}办事，请按时到达并签到。",
            "hall department day period",
        ),
        _k(
            "queue_near",
            "叫号提醒",
            "您的{ticket}号前面还有{ahead}位，请到{window}附近等候叫号。",
            "ticket ahead window",
        ),
    ]
)

# Realistic long values for every field: the default texts must fit one segment with them.
SAMPLE = {
    "number": "T-MAAN-20261207-0001",
    "item": "城乡居民最低生活保障",
    "hall": "马鞍镇便民服务中心",
    "items": "户口簿复印件、收入证明",
    "date": "12月21日",
    "outcome": "准予许可",
    "reason": "不属于本中心受理范围",
    "place": "3号窗口",
    "until": "12月21日",
    "carrier": "中国邮政EMS",
    "tracking": "1234567890123",
    "department": "民政办",
    "day": "12月8日",
    "period": "09:30",
    "ticket": "A012",
    "ahead": "3",
    "window": "3号窗口",
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(template: str, context: dict) -> str:
    """Fill a text; unknown fields are blank. Raises ValueError for a broken template."""
    try:
        return template.format_map(_Blank({k: str(v) for k, v in context.items()}))
    except (IndexError, AttributeError, KeyError) as exc:
        raise ValueError(str(exc)) from exc


def segments(text: str) -> int:
    return max(1, -(-len(text) // SEGMENT))


def kind_label(kind: str) -> str:
    """A kind's Chinese name for pages (an unknown kind as it is)."""
    return KINDS[kind].label if kind in KINDS else kind
