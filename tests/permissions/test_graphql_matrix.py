"""The county GraphQL view, as an authorization matrix: every root field of the Query type
has a row (a new field without one fails), and each is asked by every profile about a case
record owned by its own, a child, a sibling and another-branch site, and anonymously."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.permissions.factories import PROFILES, RELATIONS, TARGETS, staff

OWN_AND_BELOW = frozenset({"own", "child"})
NONE: frozenset[str] = frozenset()
VIEWERS = {
    p: NONE if PROFILES[p][0] in ("catalogue_admin", "village_agent") else OWN_AND_BELOW
    for p in PROFILES
}
PUBLIC = "public"

# root field -> (query, rule): rule is PUBLIC or the profile -> relations table
FIELDS: dict[str, tuple[str, object]] = {
    "sites": ("{ sites { code } }", PUBLIC),
    "site": ('{ site(code: "t-maan") { code } }', PUBLIC),
    "items": ("{ items(first: 1) { edges { node { code } } } }", PUBLIC),
    "item": ('{ item(code: "mzj-002") { code } }', PUBLIC),
    "node": ('{ node(id: "SXRlbTox") { id } }', PUBLIC),
    "caseStatus": (
        '{ caseStatus(number: "%(number)s", queryCode: "ABCD2345") { number } }',
        PUBLIC,
    ),
    "case": ('{ case(number: "%(number)s") { number } }', VIEWERS),
    "cases": ("{ cases(first: 100) { edges { node { number } } } }", VIEWERS),
    # joint-approval parts: supervisors only; without parts here, only anonymous is checked
    "stalledParts": ("{ stalledParts { key } }", None),
    # e-supervision: figures need a month of cases; supervisors, the wrong tier and anonymous
    # are tried in tests/supervision/test_api.py; here only anonymous is checked
    "supervisionFigures": (
        '{ supervisionFigures(site: "t-maan", periodKind: "month", period: "2026-11") { period } }',
        None,
    ),
    "supervisionTrend": ('{ supervisionTrend(site: "t-maan", until: "2026-11-30") { key } }', None),
    "supervisionAlerts": ("{ supervisionAlerts { level } }", None),
}


def _query_fields() -> set[str]:
    from county.graph.schema import schema

    return set(schema.graphql_schema.query_type.fields)


def test_every_root_field_has_a_row():
    assert _query_fields() == set(FIELDS)


def _record(site_code: str, number: str):
    from county.readmodel.models import CaseRecord
    from sites.cases.querycode import query_code_hash

    return CaseRecord.objects.create(
        number=number,
        status="submitted",
        owner_site=site_code,
        origin_site=site_code,
        item_code="mzj-002",
        item_name="临时救助",
        item_version=1,
        handling_type="promised",
        legal_limit_days=15,
        promised_limit_days=7,
        submitted_at=timezone.now(),
        clock_state="not_started",
        query_code_hash=query_code_hash(number=number, code="ABCD2345"),
    )


def _ask(client, query: str):
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    return response.json()


def _visible(body, field: str, number: str) -> bool:
    data = (body.get("data") or {}).get(field)
    if field == "cases":
        return bool(data) and number in {e["node"]["number"] for e in data["edges"]}
    return bool(data)


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_graphql_authorization_matrix(catalogue, field):
    query, rule = FIELDS[field]
    records = {code: _record(code, f"G-{code}") for code in catalogue}
    wrong = []
    # anonymous
    body = _ask(Client(), query % {"number": "G-t-maan"} if "%(" in query else query)
    if rule == PUBLIC:
        if body.get("errors") and field != "node":
            wrong.append(f"anonymous: {body['errors']}")
    elif _visible(body, field, "G-t-maan") or (body.get("data") or {}).get(field):
        wrong.append(f"anonymous saw {field}")
    if rule is None and field.startswith("supervision"):  # the query itself is valid
        client = Client()
        client.force_login(staff(catalogue["county"], "county_supervisor"))
        answer = _ask(client, query)
        if answer.get("errors") or (answer.get("data") or {}).get(field) is None:
            wrong.append(f"the supervisor's query failed: {answer}")
    if isinstance(rule, dict):
        for profile, (role, code) in PROFILES.items():
            client = Client()
            client.force_login(staff(catalogue[code], role))
            for relation in RELATIONS:
                target = TARGETS[code][relation]
                if target is None:
                    continue
                number = records[target].number
                seen = _visible(_ask(client, query % {"number": number}), field, number)
                if seen != (relation in rule[profile]):
                    wrong.append(f"{profile} {relation}({target}): seen={seen}")
    assert not wrong, f"{field}:\n" + "\n".join(wrong)
