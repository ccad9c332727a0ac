"""access.access_case and case_queryset_for_user: the decision matrix as data.

For every profile (role at a site) and every relation of the case's owner site to the
actor's site, the set of relations where viewing / handling is allowed. A case outside the
view set must look like no case at all (404); a visible case the actor may not handle: 403.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from permissions import access
from permissions.roles import Action
from sites.cases import access as case_access
from tests.permissions.factories import PROFILES, TARGETS, case_at, case_move, staff

OWN_AND_BELOW = frozenset({"own", "child"})
# the county is above t-huangtan too, so its viewers see the "filed_by_me" case by site
COUNTY_VIEW = OWN_AND_BELOW | {"filed_by_me"}
NONE: frozenset[str] = frozenset()

# profile -> action -> relations where it is allowed.
# "filed_by_me": a case the actor filed, now owned by another branch (t-huangtan).
EXPECTED: dict[str, dict[Action, frozenset[str]]] = {
    "catalogue_admin@county": {Action.VIEW: NONE, Action.HANDLE: NONE},
    "county_supervisor@county": {Action.VIEW: COUNTY_VIEW, Action.HANDLE: NONE},
    "department_reviewer@county": {Action.VIEW: COUNTY_VIEW, Action.HANDLE: NONE},
    "auditor@county": {Action.VIEW: COUNTY_VIEW, Action.HANDLE: NONE},
    "chief_representative@county": {Action.VIEW: COUNTY_VIEW, Action.HANDLE: {"own"}},
    "chief_representative@t-maan": {Action.VIEW: OWN_AND_BELOW, Action.HANDLE: {"own"}},
    "clerk@county": {Action.VIEW: COUNTY_VIEW, Action.HANDLE: {"own"}},
    "clerk@t-maan": {Action.VIEW: OWN_AND_BELOW, Action.HANDLE: {"own"}},
    "clerk@v-shiqiao": {Action.VIEW: OWN_AND_BELOW, Action.HANDLE: {"own"}},
    "village_agent@v-shiqiao": {Action.VIEW: {"filed_by_me"}, Action.HANDLE: NONE},
}


def test_every_profile_has_a_row():
    assert set(EXPECTED) == set(PROFILES)


def _cells():
    for profile, (_role, site) in PROFILES.items():
        for relation, target in [*TARGETS[site].items(), ("filed_by_me", "t-huangtan")]:
            if target is None:
                continue
            for action in Action:
                yield pytest.param(
                    profile, relation, target, action, id=f"{profile}-{relation}-{action}"
                )


@pytest.mark.parametrize(("profile", "relation", "target", "action"), list(_cells()))
def test_access_case_matrix(catalogue, profile, relation, target, action):
    # given an actor holding one role at one site, and a case owned by the target site
    role, site = PROFILES[profile]
    user = staff(catalogue[site], role)
    # anyone else filed it: that site's own clerk
    filer = user if relation == "filed_by_me" else staff(catalogue[target], "clerk")
    case = case_at(catalogue[target], filed_by=filer)
    allowed_view = relation in EXPECTED[profile][Action.VIEW]
    allowed = relation in EXPECTED[profile][action]

    # when the actor asks for the case
    if allowed:
        got = case_access.access_case(user=user, number=case.number, action=action)
        assert got.pk == case.pk
    elif not allowed_view:
        # then what it may not view is indistinguishable from nothing
        with pytest.raises(access.AccessNotFound):
            case_access.access_case(user=user, number=case.number, action=action)
    else:
        with pytest.raises(access.AccessDenied):
            case_access.access_case(user=user, number=case.number, action=action)
    # and the list agrees with the single check
    listed = case_access.case_queryset_for_user(user=user).filter(pk=case.pk).exists()
    assert listed == allowed_view


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_gets_nothing(catalogue, action):
    case = case_at(catalogue["county"])
    with pytest.raises(access.AccessNotFound):
        case_access.access_case(user=AnonymousUser(), number=case.number, action=action)
    assert not case_access.case_queryset_for_user(user=AnonymousUser()).exists()


def test_inactive_account_gets_nothing(catalogue):
    user = staff(catalogue["t-maan"], "clerk")
    case = case_at(catalogue["t-maan"])
    user.is_active = False
    user.save()
    with pytest.raises(access.AccessNotFound):
        case_access.access_case(user=user, number=case.number)


def test_unknown_number_is_404(catalogue):
    user = staff(catalogue["county"], "county_supervisor")
    with pytest.raises(access.AccessNotFound):
        case_access.access_case(user=user, number="no-such-case")


def test_handling_rights_move_with_the_case(catalogue):
    # given a village case, its clerk and the township clerk
    village_clerk = staff(catalogue["v-shiqiao"], "clerk")
    township_clerk = staff(catalogue["t-maan"], "clerk")
    case = case_at(catalogue["v-shiqiao"])
    assert case_access.can_handle_case(user=village_clerk, case=case)
    assert not case_access.can_handle_case(user=township_clerk, case=case)  # views, not handles

    # when the village forwards it up (上报)
    case_move(case, catalogue["t-maan"])

    # then the township handles it and the village may no longer
    assert case_access.can_handle_case(user=township_clerk, case=case)
    assert not case_access.can_handle_case(user=village_clerk, case=case)
    # nor view it: it is no longer below the village
    with pytest.raises(access.AccessNotFound):
        case_access.access_case(user=village_clerk, number=case.number)


def test_the_owner_rule_holds_even_with_a_stray_grant(catalogue):
    # a personal handle grant left on a case owned elsewhere does not let a clerk handle it
    from permissions.services import case_grants_for_clerk

    clerk = staff(catalogue["t-huangtan"], "clerk")
    case = case_at(catalogue["t-maan"])
    case_grants_for_clerk(case=case, old_clerk=None, new_clerk=clerk)
    assert not case_access.can_handle_case(user=clerk, case=case)


def test_assignment_moves_the_personal_grant(catalogue):
    from sites.cases import signals
    from sites.cases.models import Case

    a = staff(catalogue["t-maan"], "clerk")
    b = staff(catalogue["t-maan"], "clerk")
    case = case_at(catalogue["t-maan"])
    signals.case_assigned.send(sender=Case, case=case, old_clerk=None, new_clerk=a)
    signals.case_assigned.send(sender=Case, case=case, old_clerk=a, new_clerk=b)
    from permissions.models import CaseUserObjectPermission

    holders = set(
        CaseUserObjectPermission.objects.filter(content_object=case).values_list(
            "user__username", flat=True
        )
    )
    assert holders == {b.username}


def test_a_role_group_created_later_gets_the_existing_cases(catalogue):
    case = case_at(catalogue["t-huangtan"])  # no handling group at t-huangtan yet
    clerk = staff(catalogue["t-huangtan"], "clerk")
    assert case_access.can_handle_case(user=clerk, case=case)


def test_roles_at_two_sites_add_up(catalogue):
    from permissions.services import role_grant

    user = staff(catalogue["v-shiqiao"], "clerk")
    role_grant(user=user, site=catalogue["v-xiaohe"], role="village_agent")
    mine = case_at(catalogue["v-xiaohe"], filed_by=user)
    theirs = case_at(catalogue["v-xiaohe"])
    own = case_at(catalogue["v-shiqiao"])
    visible = set(case_access.case_queryset_for_user(user=user).values_list("pk", flat=True))
    assert visible == {mine.pk, own.pk}
    assert theirs.pk not in visible


@pytest.mark.parametrize(
    "profile", ["clerk@t-maan", "county_supervisor@county", "village_agent@v-shiqiao"]
)
@pytest.mark.parametrize("n", [1, 30])
def test_filtered_list_query_count_is_constant(catalogue, django_assert_num_queries, profile, n):
    # given n cases in the actor's reach
    role, site = PROFILES[profile]
    user = staff(catalogue[site], role)
    for _ in range(n):
        case_at(catalogue["v-shiqiao"], filed_by=user)
    user = type(user).objects.get(pk=user.pk)  # a fresh request's user: grants not cached
    # when the list is read: one query for the user's site grants, one for the page
    with django_assert_num_queries(2):
        rows = list(case_access.case_queryset_for_user(user=user)[:50])
    assert len(rows) == n


def test_single_case_check_query_count(catalogue, django_assert_num_queries):
    user = staff(catalogue["t-maan"], "clerk")
    case = case_at(catalogue["t-maan"])
    user = type(user).objects.get(pk=user.pk)
    # grants + case + handle grant
    with django_assert_num_queries(3):
        case_access.access_case(user=user, number=case.number, action=Action.HANDLE)


@pytest.mark.parametrize(
    ("profile", "codes"),
    [
        ("clerk@t-maan", {"t-maan", "v-shiqiao", "v-liujia"}),
        (
            "county_supervisor@county",
            {"county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe", "v-dongping"},
        ),
        ("clerk@v-shiqiao", {"v-shiqiao"}),
        ("village_agent@v-shiqiao", set()),
        ("catalogue_admin@county", set()),
    ],
)
def test_read_model_rows_by_site_code(catalogue, profile, codes):
    from county.readmodel.models import CaseRecord

    role, site = PROFILES[profile]
    user = staff(catalogue[site], role)
    qs = access.case_records_for_user(user=user, queryset=CaseRecord.objects.all())
    assert set(access.user_site_grants(user=user).view_site_codes) == codes
    if codes:
        assert "owner_site" in str(qs.query)
    else:
        assert qs.query.is_empty()
