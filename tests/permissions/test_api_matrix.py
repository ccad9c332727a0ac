"""The authorization matrix of the whole API, as data.

Every route under /api/ and every HTTP method its view implements must have a row in
ACTIONS, so a new endpoint without a row fails `test_every_api_action_has_a_row`. Each row
names a RULE: for every profile (role at a site), the relations of the target to the
actor's site where the action is allowed. Each action is then called by every profile
against a target at its own site, a child site, a sibling site and another branch of the
county, and anonymously.

Outcomes: allowed means the action was carried out (2xx only: each row brings its target
case into a state where the action succeeds, with a valid body, at the hall that owns it);
refused means 404 when the target may not even be viewed (it looks like nothing), 403 when
it may be viewed but not acted on or the site refuses, and 401/403 for anonymous callers.
For list rows the target case must appear in the list exactly when allowed. Routes whose
target is a joint case or part are in the joint approvals' own matrix (ELSEWHERE).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.permissions.factories import PROFILES, QUERY_CODE, RELATIONS, TARGETS, case_at

ALL = frozenset(RELATIONS)
OWN_AND_BELOW = frozenset({"own", "child"})
OWN = frozenset({"own"})
NONE: frozenset[str] = frozenset()
STAFF = {p: ALL for p in PROFILES}  # any account with a role, wherever the target is

VIEWERS = {
    "catalogue_admin@county": NONE,
    "county_supervisor@county": OWN_AND_BELOW,
    "department_reviewer@county": OWN_AND_BELOW,
    "auditor@county": OWN_AND_BELOW,
    "chief_representative@county": OWN_AND_BELOW,
    "chief_representative@t-maan": OWN_AND_BELOW,
    "clerk@county": OWN_AND_BELOW,
    "clerk@t-maan": OWN_AND_BELOW,
    "clerk@v-shiqiao": OWN_AND_BELOW,
    "village_agent@v-shiqiao": NONE,  # only what it filed: see test_access_cases
}
HANDLERS = {
    p: OWN if PROFILES[p][0] in ("clerk", "chief_representative") else NONE for p in PROFILES
}
TAKE_IN = {
    p: OWN if PROFILES[p][0] in ("clerk", "chief_representative", "village_agent") else NONE
    for p in PROFILES
}
NOBODY = {p: NONE for p in PROFILES}
SUPERVISORS = {p: ALL if PROFILES[p][0] == "county_supervisor" else NONE for p in PROFILES}


def handlers_at(*sites: str) -> dict[str, frozenset[str]]:
    """Handlers of their own cases, at the halls where the domain lets the action succeed."""
    return {p: HANDLERS[p] if PROFILES[p][1] in sites else NONE for p in PROFILES}


DEFERRED = "困难情况证明材料"  # mzj-002 may be accepted without it (容缺)

RULES: dict[str, dict[str, frozenset[str]]] = {
    "public": STAFF,  # anonymous allowed as well
    "staff": STAFF,
    "view_case": VIEWERS,
    "handle_case": HANDLERS,
    "view_site": VIEWERS,
    "take_in_here": TAKE_IN,
    "superuser_only": NOBODY,
    "supervise": SUPERVISORS,
    # mzj-002 is decided at the county and the townships (受理并办结), forwarded from villages;
    # the 首席代表 signs (seed 001 第十五条): a clerk there may handle the case but gets 400
    "decide_case": {
        p: HANDLERS[p]
        if p in ("chief_representative@county", "chief_representative@t-maan")
        else NONE
        for p in PROFILES
    },
    "forward_case": handlers_at("t-maan", "v-shiqiao"),  # the county has no parent
    "hand_back_case": handlers_at("county", "t-maan"),  # a village has nobody below it
}
PUBLIC_RULES = {"public"}


@dataclass(frozen=True)
class Row:
    rule: str
    target: str = "none"  # none | case | site | here (the node's own site is the target)
    kwargs: tuple = ()  # extra URL kwargs
    data: tuple = ()  # request body (POST) or query (GET)
    list_of_cases: bool = False
    state: str = "submitted"  # the target case's state before the call (see _prepare)


ACTIONS: dict[tuple[str, str], Row] = {
    ("GET", "site-list"): Row("public"),
    ("GET", "department-list"): Row("public"),
    ("GET", "item-list"): Row("public"),
    ("GET", "item-detail"): Row("public", kwargs=(("code", "mzj-002"),)),
    ("GET", "item-version-list"): Row("public", kwargs=(("code", "mzj-002"),)),
    ("GET", "item-version-detail"): Row("public", kwargs=(("code", "mzj-002"), ("number", 1))),
    ("GET", "delegation-list"): Row("public"),
    ("GET", "calendar-year-list"): Row("public"),
    ("GET", "calendar-add-working-days"): Row(
        "public", data=(("start", "2026-03-02"), ("days", 5))
    ),
    ("GET", "schema"): Row("public"),
    ("GET", "swagger"): Row("public"),
    ("POST", "auth-token"): Row("public", data=(("username", "x"), ("password", "y"))),
    ("POST", "public-case-status"): Row("public", target="case"),
    ("POST", "auth-token-revoke"): Row("staff"),
    ("GET", "auth-me"): Row("staff"),
    ("GET", "permissions-role-list"): Row("staff"),
    ("GET", "permissions-site-staff"): Row("view_site", target="site"),
    ("GET", "permissions-case-access"): Row("view_case", target="case"),
    ("GET", "sync-status"): Row("superuser_only"),
    ("GET", "case-list"): Row("view_case", target="case", list_of_cases=True),
    ("POST", "case-list"): Row("take_in_here", target="here"),
    ("GET", "case-detail"): Row("view_case", target="case"),
    ("GET", "case-notice"): Row(
        "view_case", target="case", kwargs=(("kind", "acceptance"),), state="accepted"
    ),
    ("POST", "case-accept"): Row("handle_case", target="case"),
    ("POST", "case-refuse"): Row("handle_case", target="case", data=(("reasons", "不符合"),)),
    ("POST", "case-supplement"): Row(
        "handle_case", target="case", state="accepted", data=(("items", ["户籍证明"]),)
    ),
    ("POST", "case-supplement-complete"): Row("handle_case", target="case", state="suspended"),
    ("POST", "case-materials"): Row(
        "handle_case", target="case", state="deferred", data=(("names", [DEFERRED]),)
    ),
    ("POST", "case-extend"): Row(
        "handle_case", target="case", state="accepted", data=(("days", 2), ("reason", "核查"))
    ),
    ("POST", "case-decide"): Row(
        "decide_case", target="case", state="accepted", data=(("outcome", "denied"),)
    ),
    ("POST", "case-return"): Row("handle_case", target="case", data=(("reason", "政策"),)),
    ("POST", "case-withdraw"): Row("handle_case", target="case", data=(("reason", "撤回"),)),
    ("POST", "case-forward"): Row("forward_case", target="case", state="accepted"),
    ("POST", "case-hand-back"): Row("hand_back_case", target="case", state="forwarded"),
    ("GET", "part-list"): Row("staff"),
    ("GET", "part-stalled"): Row("supervise"),
    ("GET", "queue-statistics"): Row("view_site", target="here"),
}
# Targets that only a joint case has: every profile, site and anonymous caller is tried in
# the joint approvals' matrix (tests/joint/test_api.py), on a real joint case and its parts.
ELSEWHERE = {
    ("GET", "part-detail"),
    ("POST", "part-opinion"),
    ("POST", "part-reassign"),
    ("POST", "case-countersign"),
    ("POST", "case-parts-open"),
}
# E-supervision routes need a month of figures or an order: every one is tried by anonymous,
# the wrong tier, the wrong role and the supervisor in tests/supervision/test_api.py.
SUPERVISION = {
    ("GET", "supervision-figures"),
    ("GET", "supervision-trend"),
    ("GET", "supervision-alerts"),
    ("GET", "supervision-orders"),
    ("POST", "supervision-orders"),
    ("POST", "supervision-order-answer"),
}

SUBMIT = {
    "item_code": "mzj-002",
    "applicant_name": "李四",
    "applicant_id_number": "11010519491231002X",
    "applicant_phone": "13812345678",
    "materials": ["申请人身份证", "临时救助申请书"],
}


def api_actions() -> set[tuple[str, str]]:
    """(METHOD, url name) of every route under /api/ and method its view implements."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    found = set()
    for route, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        view = getattr(pattern.callback, "view_class", None) or pattern.callback.cls
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.add((method.upper(), pattern.name))
    return found


def test_every_api_action_has_a_row():
    missing = api_actions() - set(ACTIONS) - ELSEWHERE - SUPERVISION
    assert not missing, f"API actions without a row in the authorization matrix: {missing}"
    stale = (set(ACTIONS) | ELSEWHERE | SUPERVISION) - api_actions()
    assert not stale, f"rows for actions that no longer exist: {stale}"


def test_the_routes_tried_elsewhere_are_tried_there():
    from pathlib import Path

    joint = (Path(__file__).parents[1] / "joint" / "test_api.py").read_text(encoding="utf-8")
    untried = [name for _, name in ELSEWHERE if f'"{name}"' not in joint]
    assert not untried, f"not in the joint approvals' matrix: {untried}"
    supervision = (Path(__file__).parents[1] / "supervision" / "test_api.py").read_text("utf-8")
    untried = [(m, n) for m, n in SUPERVISION if f'("{m}", "{n}")' not in supervision]
    assert not untried, f"not in the supervision routes' test: {untried}"


def test_every_rule_covers_every_profile():
    for name, rule in RULES.items():
        assert set(rule) == set(PROFILES), name


def _request(client, method, name, row: Row, case, site):
    from django.urls import reverse

    kwargs = dict(row.kwargs)
    if row.target == "case" and "number" in _route_params(name):
        kwargs["number"] = case.number
    if "code" in _route_params(name) and site is not None and row.target == "site":
        kwargs["code"] = site.code
    url = reverse(name, kwargs=kwargs)
    data = dict(row.data)
    if name == "public-case-status":
        data = {"number": case.number, "query_code": QUERY_CODE}
    if name == "case-list" and method == "POST":
        data = SUBMIT
    if name == "auth-token":
        from tests.permissions.factories import staff

        user = staff(site or case.owner_site, "clerk")
        user.set_password("matrix-login-2026")
        user.save()
        data = {"username": user.get_username(), "password": "matrix-login-2026"}
    if method == "GET":
        return client.get(url, data)
    return client.post(url, data, format="json")


def _route_params(name):
    from django.urls import get_resolver

    possibilities = get_resolver().reverse_dict.getlist(name)
    return set(possibilities[0][0][0][1]) if possibilities else set()


def _outcome(response, row: Row, case) -> str:
    code = response.status_code
    if row.list_of_cases and code == 200:
        numbers = {r["number"] for r in response.json()["results"]}
        return "allowed" if case.number in numbers else "hidden"
    if code in (401, 403, 404):
        return str(code)
    if 200 <= code < 300:
        return "allowed"
    if code == 400:  # authorized, and the domain refuses with its reason
        return "400"
    return f"{code} {response.content.decode()[:200]}"


HANDLING_RULES = {"handle_case", "decide_case", "forward_case", "hand_back_case"}


def _prepare(case, state: str, catalogue, settings) -> None:
    """Bring the target case into `state` at the hall that owns it (the cell is rolled back)."""
    from datetime import timedelta

    from sites.cases import services
    from sites.cases.models import Case

    if state == "submitted":
        return
    acting = settings.HALL_SITE
    settings.HALL_SITE = case.owner_site.code
    services.case_accept(case=case, by=None)
    if state == "suspended":
        services.case_supplement_request(case=case, by=None, items=["户籍证明"])
    elif state == "deferred":
        due = (case.submitted_at + timedelta(days=5)).date().isoformat()
        Case.objects.filter(pk=case.pk).update(materials_deferred=[{"name": DEFERRED, "due": due}])
    elif state == "forwarded":  # as if forwarded up from the hall below
        below = [code for code, site in catalogue.items() if site.parent_id == case.owner_site_id]
        Case.objects.filter(pk=case.pk).update(route=below[:1])
    else:
        assert state == "accepted", state
    settings.HALL_SITE = acting


def _expected(row: Row, profile: str | None, relation: str) -> set[str]:
    if profile is None:
        return {"allowed"} if row.rule in PUBLIC_RULES else {"401", "403"}
    if relation in RULES[row.rule][profile]:
        return {"allowed"}
    if row.rule in HANDLING_RULES and relation in HANDLERS[profile]:
        return {"400"}  # may handle the case, but this hall may not do this (decide, forward...)
    if row.list_of_cases:
        return {"hidden"}
    if row.target == "case":
        # visible but not allowed: 403; invisible: indistinguishable from nothing
        return {"403"} if relation in VIEWERS[profile] else {"404"}
    return {"403"}


@pytest.mark.parametrize(("method", "name"), sorted(ACTIONS))
def test_api_authorization_matrix(catalogue, settings, method, name):
    row = ACTIONS[(method, name)]
    # given one account per profile and a case owned by every site
    from tests.permissions.factories import staff

    tokens = {}
    for profile, (role, code) in PROFILES.items():
        user = staff(catalogue[code], role)
        tokens[profile] = Token.objects.create(user=user).key
    cases = {code: case_at(site) for code, site in catalogue.items()}

    cells = [(p, rel, TARGETS[PROFILES[p][1]][rel]) for p in PROFILES for rel in RELATIONS]
    cells = [c for c in cells if c[2] is not None]
    cells += [(None, rel, t) for rel, t in TARGETS["t-maan"].items()]  # anonymous
    wrong = []
    for profile, relation, target in cells:
        client = APIClient()
        if profile:
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[profile]}")
        # the node's identity: "here" actions and case actions happen at the target site
        acting_here = row.target == "here" or row.rule in HANDLING_RULES
        settings.HALL_SITE = target if acting_here else "county"
        # when the action is called (each cell rolled back: actions change cases)
        with transaction.atomic():
            _prepare(cases[target], row.state, catalogue, settings)
            response = _request(client, method, name, row, cases[target], catalogue[target])
            transaction.set_rollback(True)
        got = _outcome(response, row, cases[target])
        want = _expected(row, profile, relation)
        if got not in want:
            wrong.append(f"{profile or 'anonymous'} {relation}({target}): got {got}, want {want}")
    # then every cell is as the matrix says
    assert not wrong, f"{method} {name}:\n" + "\n".join(wrong)
