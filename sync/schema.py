"""Payload schemas: a tiny declarative check of a message's payload before anything is written.

An applier declares what its payload must hold, in terms of the columns the values land in
(`applier(type, payload=Obj({...}))`); the inbox checks it before the handler runs, so a
signed payload whose value does not fit its column is quarantined with the reason instead
of failing inside the batch transaction. Keys not named are left to the handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal as _Decimal
from decimal import InvalidOperation

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from sync.envelope import Reject

# The portable ranges of Django's integer fields (PostgreSQL's; SQLite holds more): what a
# value must fit on every database this code runs on.
RANGES = BaseDatabaseOperations.integer_field_ranges
INT_MAX = RANGES["IntegerField"][1]
SMALL_MAX = RANGES["SmallIntegerField"][1]


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
class Dec:
    """A decimal as JSON sends it (number or text) that fits `max_digits`/`decimal_places`."""

    max_digits: int = 12
    decimal_places: int = 2
    required: bool = True
    null: bool = False

    def check(self, value, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Invalid(where, "不是数值")
        if isinstance(value, str) and len(value) > self.max_digits + 2:
            raise Invalid(where, "不是数值")
        try:
            number = _Decimal(str(value))
        except InvalidOperation:
            raise Invalid(where, "不是数值") from None
        if not number.is_finite():
            raise Invalid(where, "不是有限数值")
        _, digits, exponent = number.as_tuple()
        places, whole = max(0, -exponent), len(digits) + exponent
        if places > self.decimal_places or whole > self.max_digits - self.decimal_places:
            raise Invalid(where, f"超出 {self.max_digits} 位数、{self.decimal_places} 位小数")


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


def int_range(model_field: models.Field) -> tuple[int, int]:
    """The values `model_field`'s column holds on every supported database."""
    low, high = RANGES.get(model_field.get_internal_type(), RANGES["BigIntegerField"])
    return low, high


def of(model_field: models.Field, **changes):
    """The payload kind of a value that lands in `model_field`, its limits taken from the
    field (length, integer range, decimal digits, null); `changes` override (required, ...).
    One declaration: a message type names the model fields its values are written to."""
    null = model_field.null
    if isinstance(model_field, models.BooleanField):
        kind = Bool(null=null)
    elif isinstance(model_field, models.DateTimeField):
        kind = DateTime(null=null)
    elif isinstance(model_field, models.DateField):
        kind = Date(null=null)
    elif isinstance(model_field, models.DecimalField):
        kind = Dec(model_field.max_digits, model_field.decimal_places, null=null)
    elif isinstance(model_field, models.IntegerField):
        low, high = int_range(model_field)
        kind = Int(min=low, max=high, null=null)
    elif isinstance(model_field, (models.CharField, models.TextField)):
        kind = Str(max_length=model_field.max_length, null=null)
    else:
        raise TypeError(f"no payload kind for {model_field!r}")
    return replace(kind, **changes) if changes else kind


def payload_check(schema: Obj | None, payload) -> None:
    """Raise Reject("invalid payload: …") when `payload` does not fit `schema`."""
    if schema is None:
        return
    try:
        schema.check(payload, "payload")
    except Invalid as exc:
        raise Reject(f"invalid payload: {exc}") from None
