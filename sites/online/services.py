"""Writes of online applications: filing with uploads, and the clerk's pre-review (预审):
take in as a case (sites.cases: submit, then accept, which issues the query code) or return
with the one complete list of what is missing (一次性告知)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.catalogue.selectors import item_version_get
from sites.cases import services as case_services
from sites.cases.identity import id_number_problem, phone_problem
from sites.cases.querycode import query_code_hash, query_code_new
from sites.online.models import Application, ApplicationFile, ApplicationStatus
from sites.online.rules import uploads_for
from sites.registry.models import Site

SIGNATURES = {  # what a file of each type starts with: the name alone proves nothing
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


def upload_problem(*, upload, rule: dict) -> str | None:
    """Why an uploaded file is refused (size, type, content), or None."""
    allowed = {t.strip().lower() for t in str(rule["types"]).split(",") if t.strip()}
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in allowed:
        return f"{upload.name}：只接受 {'、'.join(sorted(allowed))} 文件。"
    if upload.size > int(rule["max_file_mb"]) * 1024 * 1024:
        return f"{upload.name}：文件超过 {rule['max_file_mb']} MB。"
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES.get(ext, (b"",))):
        return f"{upload.name}：文件内容与类型不符。"
    return None


@transaction.atomic
def application_file(
    *,
    site: Site,
    item_code: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    note: str = "",
    uploads: list[tuple[str, object]],
    at: datetime | None = None,
) -> tuple[Application, str]:
    """网上申报: returns the application and its receipt code (shown once, stored hashed)."""
    at = at or timezone.now()
    version = item_version_get(code=(item_code or "").strip())
    if version is None:
        raise ValidationError({"item_code": "未知事项。"})
    problems = {}
    name = (applicant_name or "").strip()
    if not name or len(name) > 50:
        problems["applicant_name"] = "请填写申请人姓名。"
    id_number = (applicant_id_number or "").strip().upper()
    problem = id_number_problem(id_number, today=timezone.localdate(at))
    if problem:
        problems["applicant_id_number"] = problem
    phone = (applicant_phone or "").strip()
    if phone_problem(phone):
        problems["applicant_phone"] = phone_problem(phone)
    rule = uploads_for(site_code=site.code)
    known = {m["name"] for m in version.materials}
    if len(uploads) > int(rule["max_files"]):
        problems["files"] = f"最多上传 {rule['max_files']} 个文件。"
    file_problems = [p for _, u in uploads if (p := upload_problem(upload=u, rule=rule))]
    file_problems += [f"不是该事项的申报材料：{m}" for m, _ in uploads if m not in known]
    if file_problems:
        problems["files"] = " ".join(file_problems)
    if problems:
        raise ValidationError(problems)
    number = f"WS-{site.code}-{timezone.localdate(at):%Y%m%d}-{secrets.token_hex(3).upper()}"
    code = query_code_new()
    application = Application.objects.create(
        site=site,
        number=number,
        code_hash=query_code_hash(number=number, code=code),
        item_version=version,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        note=(note or "")[:2000],
        submitted_at=at,
    )
    for material, upload in uploads:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        ext = upload.name.rsplit(".", 1)[-1].lower()
        stored = ApplicationFile(
            application=application,
            material=material,
            original_name=upload.name[:200],
            content_type=CONTENT_TYPES[ext],
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        stored.file.save(f"{secrets.token_hex(16)}.{ext}", upload, save=False)
        stored.save()
    return application, code


def _pending(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"application": "该申报已预审。"})
    return locked


@transaction.atomic
def application_take_in(
    *, application: Application, by, materials: list[str], at: datetime | None = None
) -> tuple[Application, str]:
    """预审通过: the application becomes a case (收件 then 受理); returns the query code."""
    at = at or timezone.now()
    application = _pending(application)
    case = case_services.case_submit(
        by=by,
        item_code=application.item_version.item.code,
        applicant_name=application.applicant_name,
        applicant_id_number=application.applicant_id_number,
        applicant_phone=application.applicant_phone,
        materials=materials,
        at=at,
    )
    code = case_services.case_accept(case=case, by=by, at=at)
    application.status = ApplicationStatus.TAKEN_IN
    application.case_number = case.number
    application.query_code_once = code
    application.reviewed_at, application.reviewed_by = at, by
    application.save()
    return application, code


@transaction.atomic
def application_return(
    *, application: Application, by, missing: list[str], note: str = "", at=None
) -> Application:
    """一次性告知: everything missing, at once; the citizen files again with it."""
    missing = [m.strip() for m in missing if m and m.strip()]
    if not missing:
        raise ValidationError({"missing": "请列出需要补充的全部材料。"})
    application = _pending(application)
    application.status = ApplicationStatus.RETURNED
    application.missing = missing
    application.missing_note = (note or "")[:2000]
    application.reviewed_at, application.reviewed_by = at or timezone.now(), by
    application.save()
    return application


@transaction.atomic
def application_status_seen(*, application: Application) -> str:
    """The query code of the case, handed over once to the citizen, then forgotten."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    code, locked.query_code_once = locked.query_code_once, ""
    locked.save(update_fields=["query_code_once"])
    return code
