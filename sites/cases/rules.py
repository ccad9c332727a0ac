"""The seeds' case rules as county rule data (decision 0013): 补办件 deadline, signatures.

Each default is the hall regulation's own value; the national practice, where it differs,
is the documented option (decision 0024).
"""

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from permissions.access import has_site_perm
from permissions.roles import SitePerm

SUPPLEMENT_KEY = "cases.supplement"
SUPPLEMENT = rule_register(
    key=SUPPLEMENT_KEY,
    label="补办件办事时限",
    default={"restart": True},
    labels={
        "restart": "补齐材料之日起重新计算全部时限(关闭：补正期间暂停计时，补齐后继续计算)",
    },
    source="seed 001 第十条(五)：补办件的办事时限从服务对象补齐材料之日起计算",
)


def supplement_restarts() -> bool:
    """True (the seed): the full limit starts again on the day the materials are complete."""
    return bool(rule_value(SUPPLEMENT_KEY)["restart"])


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


def signer_check(*, case, here, by) -> None:
    """Seed 001 第十五条: the 首席代表 (审批签章, `decide_at_site`) signs 办结 and 会签,
    unless the department or item's rule authorises its clerks. A clerk may still prepare
    the decision (拟办) for the chief. `by=None` is the hall itself (deemed consent, tasks);
    an account without handling rights here never reaches a service through the API or
    the pages (they check `act_at_site` first)."""
    if by is None:
        return
    version = case.item_version
    scopes = (f"item:{version.item.code}", f"department:{version.item.department.code}")
    if not rule_value(SIGNATURES_KEY, scopes=scopes)["chief_signs"]:
        return
    if has_site_perm(user=by, site=here, perm=SitePerm.DECIDE):
        return
    if not has_site_perm(user=by, site=here, perm=SitePerm.ACT):
        return
    raise ValidationError(
        {"by": "办结和会签须由首席代表签批(seed 001 第十五条)。请填写拟办意见，提交首席代表签批。"}
    )
