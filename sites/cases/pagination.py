"""The case list's pages: limit/offset, with the count bounded.

COUNT(*) over everything a user may see grows with the table: 300 ms for the county's
million cases, paid on every page. Counting stops COUNT_AHEAD rows past the page's offset
instead (10 ms), so a page costs the same at any size of the hall. The count is exact up to
there; beyond, `count_capped` is true and `count` is a lower bound (offset + COUNT_AHEAD + 1),
still enough for `next` to lead on. docs/decisions/0017-http-performance.md.
"""

from __future__ import annotations

from permissions.pagination import BoundedPagination

COUNT_AHEAD = 10_000


class CasePagination(BoundedPagination):
    # The cases the rows come from, before the row's columns are chosen: counting these
    # needs no join but the filters' (an index-only scan), while counting the rows'
    # queryset joined item version, item and both sites (13 ms against 3 ms at a
    # township of 1M cases, half of it planning). The view sets it; None counts the rows.
    count_from = None

    def get_count(self, queryset) -> int:
        bound = self.get_offset(self.request) + COUNT_AHEAD
        if self.count_from is not None:
            queryset = self.count_from.values("pk")
        counted = queryset.order_by()[: bound + 1].count()
        self.capped = counted > bound
        return counted

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.capped
        return response

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["required"] = [*out["required"], "count_capped"]
        out["properties"]["count"]["description"] = (
            f"匹配的办件数；超过 offset + {COUNT_AHEAD} 时只计到 offset + {COUNT_AHEAD + 1}"
            "(此时 count_capped 为 true)。"
        )
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "count 是否为下限(匹配的办件更多，未全部计数)。",
        }
        return out
