"""Applicant identity: the 18-digit resident ID checksum (GB 11643) and masking."""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_number_problem(value: str, *, today: date) -> str | None:
    """Why `value` is not a valid resident ID number, or None when it is."""
    value = (value or "").strip().upper()
    if (
        len(value) != 18
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        return "身份证号码应为18位：前17位数字，末位为数字或X。"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效。"
    if born > today or born.year < 1900:
        return "身份证号码中的出生日期无效。"
    total = sum(int(d) * w for d, w in zip(value[:17], WEIGHTS, strict=True))
    if CHECK[total % 11] != value[17]:
        return "身份证号码校验位不正确，请核对。"
    return None


def phone_problem(value: str) -> str | None:
    if not PHONE.match((value or "").strip()):
        return "联系电话应为11位手机号或带区号的固定电话。"
    return None


def mask_id_number(value: str) -> str:
    return value[:6] + "*" * 8 + value[-4:] if len(value) == 18 else "*" * len(value)


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)


def mask_name(value: str) -> str:
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
