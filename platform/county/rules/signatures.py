"""Who signs 办结 and 会签 (seed 001 第十五条): the 首席代表, unless the county authorises a
department's or an item's clerks. One rule read by the cases lifecycle (sites.cases.rules)
and by permissions (can_decide_item_here), so a page or API that says "may decide" agrees
with the service that signs."""

from __future__ import annotations

from county.rules.registry import rule_register
from county.rules.selectors import rule_value

SIGNATURES_KEY = "cases.signatures"
SIGNATURES = rule_register(
    key=SIGNATURES_KEY,
    label="办结与会签签批",
    default={"chief_signs": True},
    labels={
        "chief_signs": "办结和联办会签须由首席代表(审批签章权限)签批；"
        "关闭(可按部门或事项设置)：部门授权窗口办事员签批",
    },
    source="seed 001 第十五条(一)(三)：首席代表代表本部门行使审批职权，签署联合审批事项的会签意见",
)


def chief_signs(*, item_code: str, department_code: str) -> bool:
    """True (the seed): only the 首席代表 signs this item's decisions; the item's rule over
    its department's over the county's."""
    scopes = (f"item:{item_code}", f"department:{department_code}")
    return bool(rule_value(SIGNATURES_KEY, scopes=scopes)["chief_signs"])
