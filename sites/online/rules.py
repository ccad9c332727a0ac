"""The county rule for online uploads (docs/decisions/0013)."""

from __future__ import annotations

from county.rules.registry import rule_register
from county.rules.selectors import rule_value

UPLOADS = rule_register(
    key="online.uploads",
    label="网上申报材料上传限制",
    default={"max_file_mb": 5, "max_files": 10, "types": "pdf,jpg,jpeg,png"},
    labels={
        "max_file_mb": "单个文件上限(MB)",
        "max_files": "每件申报最多文件数",
        "types": "允许的文件类型(逗号分隔)",
    },
    source="政务服务网上申报通行做法",
)


def uploads_for(*, site_code: str) -> dict:
    return rule_value(UPLOADS.key, scopes=(f"site:{site_code}",))
