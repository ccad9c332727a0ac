"""Who signs 办结 and 会签 (seed 001 第十五条): the 首席代表, unless the county authorises a
department's or an item's clerks. One rule read by the cases lifecycle (sites.cases.rules)
and by can_decide_item_here below, so a page or API that says "may decide" agrees
with the service that signs."""

from __future__ import annotations

from county.catalogue.models import ItemVersion
from county.catalogue.selectors import delegation_decides
from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from permissions.access import has_site_perm
from permissions.roles import SitePerm
from sites.registry.models import Site

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


def can_decide_item_here(*, user, item, site: Site, at=None) -> bool:
    """May the user decide (sign 办结) `item` at `site` (for a case accepted at `at`, default
    now)? The catalogue's one rule says the hall decides it (county.catalogue.selectors.
    delegation_decides: the cases app asks the same), and the person signs there: the 首席代表
    (`decide_at_site`), or a clerk (`act_at_site`) where the county's signatures rule
    authorises the item's or department's clerks (seed 001 第十五条; county.rules.signatures,
    the rule sites.cases.rules.signer_check enforces)."""
    if not has_site_perm(user=user, site=site, perm=SitePerm.ACT):
        return False
    version = ItemVersion.objects.only("handling_type").get(item=item, number=item.current_version)
    if not delegation_decides(item=item, handling_type=version.handling_type, site=site, at=at):
        return False
    if has_site_perm(user=user, site=site, perm=SitePerm.DECIDE):
        return True
    return not chief_signs(item_code=item.code, department_code=item.department.code)
