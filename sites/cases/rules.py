"""The seeds' case rules as county rule data (decision 0013): 补办件 deadline, signatures.

Each default is the hall regulation's own value; the national practice, where it differs,
is the documented option (decision 0024).
"""

from county.rules.registry import rule_register
from county.rules.selectors import rule_value

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
