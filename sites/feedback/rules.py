"""Rating follow-up and complaint deadlines: county rules (decision 0013), in working days."""

from county.rules.registry import rule_register

RATINGS = rule_register(
    key="feedback.ratings",
    label="好差评整改时限",
    default={
        "contact_days": 1,
        "rectify_days": 15,
        "default_on": False,
        "default_after_days": 7,
    },
    labels={
        "contact_days": "差评回访联系时限(工作日)",
        "rectify_days": "差评整改反馈时限(工作日)",
        "default_on": "逾期未评价默认基本满意",
        "default_after_days": "办结后多少日未评价视为基本满意",
    },
    source="国办发〔2019〕51号；各地实施办法(联系1个工作日，整改5至15个工作日)",
)

COMPLAINTS = rule_register(
    key="feedback.complaints",
    label="投诉处理时限",
    default={
        "accept_days": 1,
        "investigate_days": 5,
        "dispose_days": 2,
        "reply_days": 2,
        "department_answer_days": 5,
    },
    labels={
        "department_answer_days": "交办部门办结答复时限(工作日，自交办，文件未规定)",
        "accept_days": "受理时限(工作日，自收到投诉)",
        "investigate_days": "调查时限(工作日，自受理期限)",
        "dispose_days": "处置时限(工作日，自调查期限)",
        "reply_days": "反馈答复时限(工作日，自处置期限)",
    },
    source="GB/T 36113-2018 受理、调查、处置、反馈、归档；seed 000 第十三条(五) 中心转给部门"
    "处理的投诉，部门未在规定时限内办结答复的每逾期1天扣4分",
)
