"""好差评 and 投诉. A rating is kept where it was given and at the county (one per case, the
first to arrive wins); its follow-up, appeal and points are the county's. Complaints are
filed at any hall and handled at the county (the hall office, 督查室)."""

from django.db import models


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    FAIR = "fair", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    VERY_DISSATISFIED = "very_dissatisfied", "非常不满意"


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class Channel(models.TextChoices):
    WINDOW = "window", "窗口评价器"
    QUEUE = "queue", "排队号评价"  # the link / QR code on the ticket slip, after service
    ONLINE = "online", "网上评价"
    DEFAULT = "default", "逾期默认"


class FollowUp(models.TextChoices):
    NONE = "", "无需整改"
    OPEN = "open", "待回访"
    CONTACTED = "contacted", "已回访"
    RECTIFIED = "rectified", "已整改"
    REPLIED = "replied", "已反馈"


class Appeal(models.TextChoices):
    NONE = "", "无"
    REQUESTED = "requested", "申诉复核中"
    UPHELD = "upheld", "申诉成立(差评撤销)"
    REJECTED = "rejected", "申诉不成立"


def ticket_key(*, site_code: str, day, label: str, ticket_id: int) -> str:
    """The key of a rating of a served queue number (一次一评 without a case): it stands in
    the rating's case_number, so one rating per ticket holds at the hall and at the county
    with the same unique column and the same code path (decision 0015, addendum)."""
    # the label alone may repeat in a day (two queues with one prefix): the row id does not
    return f"PD-{site_code}-{day:%Y%m%d}-{label}-{ticket_id}"[:64]


class Rating(models.Model):
    # A case's number, or for a served queue number its ticket_key (ticket_label is set).
    case_number = models.CharField("办件编号", max_length=64, unique=True)
    ticket_label = models.CharField("排队号", max_length=12, blank=True)
    level = models.CharField("评价", max_length=20, choices=Level.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    comment = models.CharField("意见", max_length=300, blank=True)
    given_at = models.DateTimeField("评价时间")
    given_site = models.CharField("评价站点", max_length=40)
    window_site = models.CharField("窗口站点", max_length=40, blank=True)
    window_site_name = models.CharField("窗口站点名称", max_length=100, blank=True)
    window_number = models.CharField("窗口号", max_length=20, blank=True)
    window_name = models.CharField("窗口名称", max_length=100, blank=True)
    department_code = models.CharField("部门编码", max_length=40, blank=True)
    department_name = models.CharField("部门", max_length=100, blank=True)
    staff_username = models.CharField("经办人账号", max_length=150, blank=True)
    staff_name = models.CharField("经办人", max_length=50, blank=True)
    item_name = models.CharField("事项", max_length=100, blank=True)
    # the county's follow-up of a bad rating, deadlines in working days (rules)
    follow_up = models.CharField(
        "整改状态", max_length=10, choices=FollowUp.choices, blank=True, default=""
    )
    contact_due = models.DateField("回访期限", null=True, blank=True)
    rectify_due = models.DateField("整改反馈期限", null=True, blank=True)
    contacted_at = models.DateTimeField("回访时间", null=True, blank=True)
    rectified_at = models.DateTimeField("整改时间", null=True, blank=True)
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    contact_note = models.CharField("回访情况", max_length=300, blank=True)
    rectify_note = models.CharField("整改措施", max_length=300, blank=True)
    reply = models.CharField("反馈群众", max_length=300, blank=True)
    appeal = models.CharField("申诉复核", max_length=10, choices=Appeal.choices, blank=True)
    appeal_reason = models.CharField("申诉理由", max_length=300, blank=True)
    appeal_decision = models.CharField("复核意见", max_length=300, blank=True)
    # 查实 (seed 000 第十三条(六), 第二十一条(三)): the hall office verifies a bad rating
    # (回访核实) before any point moves: upheld costs the window, the person's fault the person.
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verified_by = models.CharField("核实人", max_length=150, blank=True)
    verify_note = models.CharField("核实情况", max_length=300, blank=True)
    upheld = models.BooleanField("经查证属实", null=True)
    staff_fault = models.BooleanField("属窗口工作人员责任", null=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_level_display()}"

    @property
    def bad(self) -> bool:
        return self.level in BAD_LEVELS


class ComplaintStep(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "已受理"
    INVESTIGATED = "investigated", "已调查"
    DISPOSED = "disposed", "已处置"
    REPLIED = "replied", "已反馈"
    ARCHIVED = "archived", "已归档"


class Complaint(models.Model):
    """受理 → 调查 → 处置 → 反馈 → 归档 (GB/T 36113-2018), each step with its deadline."""

    number = models.CharField("投诉编号", max_length=40, unique=True)
    case_number = models.CharField("办件编号", max_length=64, blank=True)
    filed_site = models.CharField("投诉站点", max_length=40)
    filed_at = models.DateTimeField("投诉时间")
    content = models.CharField("投诉内容", max_length=1000)
    window_site = models.CharField("被投诉窗口站点", max_length=40, blank=True)
    window_number = models.CharField("被投诉窗口", max_length=20, blank=True)
    window_name = models.CharField("窗口名称", max_length=100, blank=True)
    department_code = models.CharField("部门编码", max_length=40, blank=True)
    department_name = models.CharField("部门", max_length=100, blank=True)
    staff_username = models.CharField("被投诉人账号", max_length=150, blank=True)
    staff_name = models.CharField("被投诉人", max_length=50, blank=True)
    step = models.CharField(
        "环节", max_length=12, choices=ComplaintStep.choices, default=ComplaintStep.RECEIVED
    )
    accept_due = models.DateField("受理期限")
    investigate_due = models.DateField("调查期限")
    dispose_due = models.DateField("处置期限")
    reply_due = models.DateField("反馈期限(办结答复)")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    investigated_at = models.DateTimeField("调查时间", null=True, blank=True)
    disposed_at = models.DateTimeField("处置时间", null=True, blank=True)
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    findings = models.CharField("调查情况", max_length=1000, blank=True)
    upheld = models.BooleanField("投诉属实", null=True)
    disposal = models.CharField("处置意见", max_length=1000, blank=True)
    reply = models.CharField("答复群众", max_length=1000, blank=True)
    handled_by = models.CharField("经办人", max_length=150, blank=True)
    # 交办 (seed 000 第十三条(五)): the centre hands the complaint to the department, which
    # must answer by `answer_due`; each working day late costs the department −4.
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    answer_due = models.DateField("部门办结答复期限", null=True, blank=True)
    answered_at = models.DateTimeField("部门答复时间", null=True, blank=True)
    department_answer = models.CharField("部门答复", max_length=1000, blank=True)

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return self.number
