"""The citizen page at the county: the same `caseStatus` query the halls send over HTTP,
run in process against the county's schema. Handed to sites.citizen at start-up
(county.graph.apps), so the hall app never imports the county's schema."""

from __future__ import annotations

from county.graph.schema import schema
from sites.citizen.county_client import QUERY


def case_status_here(request, number: str, query_code: str) -> tuple[dict | None, str | None]:
    result = schema.execute(
        QUERY, variable_values={"number": number, "code": query_code}, context_value=request
    )
    answer = (result.data or {}).get("caseStatus")
    return (answer, None) if answer else (None, result.errors[0].message)
