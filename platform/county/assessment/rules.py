"""The assessment rules (county data, docs/decisions/0013 and 0015) with the seeds' values.

Points are signed: a deduction is negative. Where the seeds give no figure, the default is
ours and the label says 文件未规定 so the county knows to set it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register

ADDITIONS = (
    "promised_to_instant",
    "limit_compressed",
    "written_thanks",
    "red_flag_staff_bonus",
    "joint_cooperation",
    "media_praise",
    "special_handling",
)
# Not points but how staff losses reach the window (seed 000 第十七条(二)).
PARAMETERS = ("staff_loss_step",)


POINTS_LABELS = {
    "base": "基础分",
    "dissatisfied": "当事人不满意经查实属工作人员责任每件(扣工作人员)",
    "dissatisfied_upheld": "申请人不满意并经查证属实每次(扣窗口)",
    "complaint_upheld": "投诉经查证属实每次(扣窗口)",
    "complaint_attitude": "因工作态度引起投诉或争吵每次(扣工作人员)",
    "complaint_attitude_serious": "因工作态度引起投诉情节严重每次(扣工作人员)",
    "staff_loss_step": "工作人员每被扣此分数",
    "staff_loss_window": "工作人员每被扣上述分数扣所在窗口",
    "not_collected_at_window": "未通过窗口取件每项",
    "intermediary": "向中介介绍业务或从事有偿中介每次(扣工作人员)",
    "drinking": "上班期间饮酒或酒后上班(扣工作人员)",
    "joint_cooperation": "积极配合联审件办理受到肯定",
    "media_praise": "受新闻媒体或有关部门表扬每件",
    "special_handling": "特事特办事例典型(加工作人员)",
    "complaint_overdue_day": "投诉逾期未办结答复每工作日",
    "item_not_in_hall": "事项未进驻大厅每项",
    "promised_to_instant": "承诺件改为即办件每项",
    "limit_compressed": "主动压缩承诺时限每项",
    "written_thanks": "受到书面感谢每件",
    "unattended": "上班时间窗口无人值守每次",
    "untidy": "窗口办公区不整洁每次",
    "late_or_absent": "迟到、早退、离岗每次",
    "misconduct": "串岗聊天、吃东西等每次",
    "case_overdue": "办件超时每件(文件未规定，参照工作任务不落实)",
    "deemed_consent": "联办逾期默认同意每次(联办效率低下)",
    "supervision_unanswered": "督办未按要求回复每次",
    "red_flag_staff_bonus": "获流动红旗窗口工作人员每人加分",
}


def _points_check(value: dict) -> None:
    """Deductions are negative (or zero), additions positive: a sign typed wrong would turn
    a complaint into a reward."""
    for name, points in value.items():
        if name in ("base", *PARAMETERS):
            if points <= 0:
                raise ValidationError(f"{POINTS_LABELS[name]}必须大于0")
        elif name in ADDITIONS and points < 0:
            raise ValidationError(f"{POINTS_LABELS[name]}为加分项，不能为负数")
        elif name not in ADDITIONS and points > 0:
            raise ValidationError(f"{POINTS_LABELS[name]}为扣分项，请填负数或0")


def _awards_check(value: dict) -> None:
    for name in ("excellent_window_share", "excellent_staff_share"):
        if not 0 <= value[name] <= 1:
            raise ValidationError("优秀比例应在0到1之间(如0.1表示10%)")
    if value["qualified_min_score"] > value["advanced_min_score"]:
        raise ValidationError("合格最低得分不能高于先进最低得分")
    if min(value["ineligible_overdue_days"], value["ineligible_overdue_cases"]) < 1:
        raise ValidationError("取消评优资格的超期件数和天数应至少为1")
    if min(value["red_flags"], value["excellent_windows"], value["quality_windows_max"]) < 0:
        raise ValidationError("名额不能为负数")


POINTS = rule_register(
    key="assessment.points",
    label="窗口考核计分标准",
    default={
        "base": 100,
        "dissatisfied": -2,
        "dissatisfied_upheld": -10,
        "complaint_upheld": -10,
        "complaint_attitude": -3,
        "complaint_attitude_serious": -5,
        "staff_loss_step": 5,
        "staff_loss_window": -2,
        "not_collected_at_window": -5,
        "intermediary": -10,
        "drinking": -3,
        "joint_cooperation": 5,
        "media_praise": 3,
        "special_handling": 3,
        "complaint_overdue_day": -4,
        "item_not_in_hall": -5,
        "promised_to_instant": 5,
        "limit_compressed": 5,
        "written_thanks": 2,
        "unattended": -5,
        "untidy": -5,
        "late_or_absent": -2,
        "misconduct": -2,
        "case_overdue": -5,
        "deemed_consent": -5,
        "supervision_unanswered": -5,
        "red_flag_staff_bonus": 2,
    },
    labels=POINTS_LABELS,
    source="seed 000 第十三、十七、十八、二十、二十一、二十四条；seed 002；seed 004 二(4)(72)；"
    "工作人员被扣5分扣窗口2分(第十七条(二))",
    check=_points_check,
)

AWARDS = rule_register(
    key="assessment.awards",
    label="考核评比名额与等次",
    default={
        "red_flags": 1,
        "excellent_windows": 2,
        "quality_windows_max": 5,
        "excellent_window_share": 0.10,
        "excellent_staff_share": 0.15,
        "advanced_min_score": 95,
        "qualified_min_score": 80,
        "upheld_complaints_sent_back": 2,
        "ineligible_complaint_days": 22,
        "ineligible_overdue_cases": 3,
        "ineligible_overdue_days": 3,
    },
    labels={
        "red_flags": "季度流动红旗(红旗窗口)名额",
        "excellent_windows": "季度优秀窗口名额",
        "quality_windows_max": "每月优质服务窗口最多",
        "excellent_window_share": "年度优秀窗口比例上限",
        "excellent_staff_share": "年度优秀工作人员比例上限",
        "advanced_min_score": "年度先进最低得分(文件未规定)",
        "qualified_min_score": "年度合格最低得分(文件未规定)",
        "upheld_complaints_sent_back": "一年内投诉属实次数达此数退回原单位",
        "ineligible_complaint_days": "此数个工作日内两次投诉属实取消评优资格",
        "ineligible_overdue_cases": "年超期办件达此数取消评优资格",
        "ineligible_overdue_days": "同一行政审批事项超期达此天数(自然日)取消评优资格",
    },
    source="seed 002 三、四、五；seed 004 二；seed 000 第二十五、二十六条",
    check=_awards_check,
)
