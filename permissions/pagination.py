"""The API's pages: limit/offset with both bounded before they reach the database.

DRF's LimitOffsetPagination has no maximum by default: `?limit=9223372036854775808` reached
PostgreSQL as a LIMIT it cannot hold and answered 500. Here a limit above MAX_LIMIT is cut
to it (DRF's `max_limit`) and an offset above MAX_OFFSET to it (an empty page); the
OpenAPI schema states both (decision 0020)."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 200
MAX_OFFSET = 2_147_483_647  # more rows than any hall holds; within every database's range


class BoundedPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            schema = param["schema"]
            schema["minimum"] = 0
            schema["maximum"] = MAX_LIMIT if param["name"] == self.limit_query_param else MAX_OFFSET
            if param["name"] == self.limit_query_param:
                param["description"] = f"每页条数，最多 {MAX_LIMIT}(超过按 {MAX_LIMIT})。"
        return params
