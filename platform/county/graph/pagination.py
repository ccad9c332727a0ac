"""Keyset pagination for large lists: the cursor is the last row's sort key, not an offset,
so page 1,000 costs what page 1 costs and nothing is counted unless `totalCount` is asked.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from graphql import GraphQLError

MAX_PAGE = 100
DEFAULT_PAGE = 20


def encode_cursor(at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([at.isoformat(), pk]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(at), int(pk)
    except (ValueError, TypeError) as exc:
        raise GraphQLError("游标(after)无效。") from exc


@dataclass
class Page:
    rows: list
    has_next: bool
    queryset: QuerySet  # the filtered rows, for totalCount on demand


def keyset_page(qs: QuerySet, *, field: str, first: int | None, after: str | None) -> Page:
    """Newest first by (`field`, id)."""
    size = DEFAULT_PAGE if first is None else first
    if not 0 < size <= MAX_PAGE:
        raise GraphQLError(f"每页条数(first)应在1到{MAX_PAGE}之间。")
    filtered = qs
    if after:
        at, pk = decode_cursor(after)
        # The leading `<=` lets the database walk the (field, id) index from the cursor;
        # the OR alone would make it scan from the newest row down.
        qs = qs.filter(**{f"{field}__lte": at}).filter(Q(**{f"{field}__lt": at}) | Q(pk__lt=pk))
    rows = list(qs.order_by(f"-{field}", "-pk")[: size + 1])
    return Page(rows=rows[:size], has_next=len(rows) > size, queryset=filtered)
