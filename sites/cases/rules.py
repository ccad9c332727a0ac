"""The seeds' case rules as county rule data (decision 0013): 补办件 deadline, signatures.

Each default is the hall regulation's own value; the national practice, where it differs,
is the documented option (decision 0024).
"""

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from county.rules.signatures import SIGNATURES, SIGNATURES_KEY, chief_signs
from permissions.access import has_site_perm
from permissions.roles import SitePerm

__all__ = ["SIGNATURES", "SIGNATURES_KEY", "SUPPLEMENT", "SUPPLEMENT_KEY", "signer_check"]

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


def signer_check(*, case, here, by) -> None:
    """Seed 001 第十五条: the 首席代表 (审批签章, `decide_at_site`) signs 办结 and 会签,
    unless the department or item's rule authorises its clerks. A clerk may still prepare
    the decision (拟办) for the chief. `by=None` is the hall itself (deemed consent, tasks);
    an account without handling rights here never reaches a service through the API or
    the pages (they check `act_at_site` first)."""
    if by is None:
        return
    version = case.item_version
    if not chief_signs(item_code=version.item.code, department_code=version.item.department.code):
        return
    if has_site_perm(user=by, site=here, perm=SitePerm.DECIDE):
        return
    if not has_site_perm(user=by, site=here, perm=SitePerm.ACT):
        return
    raise ValidationError(
        {"by": "办结和会签须由首席代表签批(seed 001 第十五条)。请填写拟办意见，提交首席代表签批。"}
    )
