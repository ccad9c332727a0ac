"""Payload schemas: a tiny declarative check of a message's payload before anything is written.

An applier declares what its payload must hold, in terms of the columns the values land in
(`applier(type, payload=Obj({...}))`); the inbox checks it before the handler runs, so a
signed payload whose value does not fit its column is quarantined with the reason instead
of failing inside the batch transaction. Keys not named are left to the handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sync.envelope import Reject

# The widest column types the payloads land in (PostgreSQL integer and smallint).
INT_MAX = 2_147_483_647
SMALL_MAX = 32_767


class Invalid(Exception):
    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def _no_nul(text: str, where: str) -> None:
    # PostgreSQL text cannot hold NUL: refuse it here rather than fail the write
    if "\x00" in text:
        raise Invalid(where, "含有 NUL 字符")


@dataclass(frozen=True)
class Str:
    max_length: int | None = None
    required: bool = True
    null: bool = False
    blank: bool = True

    def check(self, value, where: str) -> None:
        if not isinstance(value, str):
            raise Invalid(where, "不是字符串")
        _no_nul(value, where)
        if self.max_length is not None and len(value) > self.max_length:
            raise Invalid(where, f"长度 {len(value)} 超过 {self.max_length}")
        if not self.blank and not value:
            raise Invalid(where, "为空")


@dataclass(frozen=True)
class Int:
    min: int = 0
    max: int = INT_MAX
    required: bool = True
    null: bool = False

    def check(self, value, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(where, "不是整数")
        if not self.min <= value <= self.max:
            raise Invalid(where, f"超出范围 {self.min}..{self.max}")


@dataclass(frozen=True)
class Bool:
    required: bool = True
    null: bool = False

    def check(self, value, where: str) -> None:
        if not isinstance(value, bool):
            raise Invalid(where, "不是布尔值")


def _iso(value, where: str, parse, what: str):
    if not isinstance(value, str):
        raise Invalid(where, f"不是{what}")
    try:
        return parse(value)
    except ValueError:
        raise Invalid(where, f"不是 ISO {what}") from None


@dataclass(frozen=True)
class DateTime:
    required: bool = True
    null: bool = False

    def check(self, value, where: str) -> None:
        if _iso(value, where, datetime.fromisoformat, "时间").tzinfo is None:
            raise Invalid(where, "时间缺少时区")


@dataclass(frozen=True)
class Date:
    required: bool = True
    null: bool = False

    def check(self, value, where: str) -> None:
        _iso(value, where, date.fromisoformat, "日期")


@dataclass(frozen=True)
class List:
    items: object = None  # the kind every item must be (None: anything)
    required: bool = True
    null: bool = False
    max_items: int = 10_000

    def check(self, value, where: str) -> None:
        if not isinstance(value, list):
            raise Invalid(where, "不是列表")
        if len(value) > self.max_items:
            raise Invalid(where, f"超过 {self.max_items} 项")
        if self.items is not None:
            for i, item in enumerate(value):
                self.items.check(item, f"{where}[{i}]")


@dataclass(frozen=True)
class Obj:
    fields: dict = field(default_factory=dict)
    required: bool = True
    null: bool = False
    empty: bool = False  # an empty object is refused unless allowed

    def check(self, value, where: str) -> None:
        if not isinstance(value, dict):
            raise Invalid(where, "不是对象")
        if not value and not self.empty:
            raise Invalid(where, "为空")
        for name, kind in self.fields.items():
            at = f"{where}.{name}"
            if name not in value:
                if kind.required:
                    raise Invalid(at, "缺少")
                continue
            item = value[name]
            if item is None:
                if not kind.null:
                    raise Invalid(at, "不能为空值")
                continue
            kind.check(item, at)


def payload_check(schema: Obj | None, payload) -> None:
    """Raise Reject("invalid payload: …") when `payload` does not fit `schema`."""
    if schema is None:
        return
    try:
        schema.check(payload, "payload")
    except Invalid as exc:
        raise Reject(f"invalid payload: {exc}") from None
