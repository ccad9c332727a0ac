"""Online applications (网上申报): what a citizen filed from home, with the materials
uploaded, waiting for a clerk's pre-review (预审). Files are kept under the hall's private
folder (HALL_VAR_DIR/uploads), never under a URL: only staff of the hall read them, through
a view that checks permissions."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.VAR_DIR / "uploads" / settings.HALL_SITE)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待预审"
    TAKEN_IN = "taken_in", "已转为办件"
    RETURNED = "returned", "需补充材料"


class Application(models.Model):
    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    number = models.CharField("申报编号", max_length=40, unique=True)
    code_hash = models.CharField("查询码摘要", max_length=64)
    item_version = models.ForeignKey(
        "catalogue.ItemVersion", models.PROTECT, related_name="+", verbose_name="事项版本"
    )
    applicant_name = models.CharField("申请人姓名", max_length=50)
    applicant_id_number = models.CharField("申请人身份证号", max_length=18)
    applicant_phone = models.CharField("联系电话", max_length=20)
    note = models.TextField("申请说明", blank=True, max_length=2000)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField("提交时间")
    reviewed_at = models.DateTimeField("预审时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # 一次性告知: the complete list of what is missing, given once.
    missing = models.JSONField("需补充的材料", default=list, blank=True)
    missing_note = models.TextField("告知说明", blank=True)
    case_number = models.CharField("办件编号", max_length=64, blank=True)
    # The case's query code, kept only until the citizen has seen it once on the status page.
    query_code_once = models.CharField("查询码(待领取)", max_length=16, blank=True)

    class Meta:
        verbose_name = "网上申报"
        verbose_name_plural = "网上申报"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["site", "status", "submitted_at"], name="online_queue")]

    def __str__(self) -> str:
        return self.number


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="files")
    material = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", storage=private_storage, upload_to="%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=60)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "申报材料文件"
        verbose_name_plural = "申报材料文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.material}: {self.original_name}"
