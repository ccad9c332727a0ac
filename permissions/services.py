"""Writes: role groups per site, role grants, staff accounts, grants on delegations and cases.

Grants are derived data: a role's site permissions come from permissions.roles, the grants on
delegations and cases from the role groups of the site that holds them. Each writer here keeps
them in step inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from permissions.models import (
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    DelegationGroupObjectPermission,
    RoleGroup,
    SiteGroupObjectPermission,
)
from permissions.roles import (
    CASE_PERM_LABELS,
    DELEGATION_PERM_LABELS,
    ROLES,
    SITE_PERM_LABELS,
    CasePerm,
    Role,
    group_name,
)
from permissions.signals import role_group_synced
from sites.registry.models import Site, Staff, Tier

# --- permission rows ------------------------------------------------------------------------


def permissions_ensure(*, using: str = "default") -> None:
    """Create the custom Permission rows on Site, Delegation and Case (idempotent).

    Their models belong to other apps, so the codenames cannot live in those models' Meta;
    this runs after every migrate (apps.py) and is cheap to call again. The models are the
    targets of the direct-FK permission tables (models.py names them by label), so this
    module imports none of them.
    """
    for model, labels in (
        (Site, SITE_PERM_LABELS),
        (_target(DelegationGroupObjectPermission), DELEGATION_PERM_LABELS),
        (_target(CaseGroupObjectPermission), CASE_PERM_LABELS),
    ):
        ctype = ContentType.objects.db_manager(using).get_for_model(model)
        for codename, name in labels.items():
            Permission.objects.using(using).get_or_create(
                content_type=ctype, codename=str(codename), defaults={"name": name}
            )


def _target(perm_model):
    """The model a direct-FK permission table grants on (a string FK in models.py)."""
    return perm_model._meta.get_field("content_object").related_model


def perm_get(model, codename: str) -> Permission:
    ctype = ContentType.objects.get_for_model(model)
    try:
        return Permission.objects.get(content_type=ctype, codename=codename)
    except Permission.DoesNotExist:
        permissions_ensure()
        return Permission.objects.get(content_type=ctype, codename=codename)


# --- role groups ----------------------------------------------------------------------------


def role_check_tier(*, site: Site, role: Role) -> None:
    spec = ROLES[Role(role)]
    if site.tier not in spec.tiers:
        tiers = "、".join(Tier(t).label for t in sorted(spec.tiers))
        raise ValidationError(f"“{spec.label}”只能设在{tiers}，{site.name}不可设此角色。")


@transaction.atomic
def role_group_get_or_create(*, site: Site, role: Role | str) -> Group:
    """The group for a role at a site, with the site permissions the role carries and the
    grants on the site's active delegations and owned cases."""
    role = Role(role)
    role_check_tier(site=site, role=role)
    existing = RoleGroup.objects.select_related("group").filter(site=site, role=role).first()
    if existing:
        return existing.group
    group, _ = Group.objects.get_or_create(name=group_name(site.code, role))
    RoleGroup.objects.create(group=group, site=site, role=role)
    role_group_sync(group=group, site=site, role=role)
    return group


def role_group_sync(*, group: Group, site: Site, role: Role) -> None:
    """Make the group's grants equal what the role implies (after a change of roles.py)."""
    spec = ROLES[role]
    want = {perm_get(Site, str(p)).pk for p in spec.site_perms}
    have = SiteGroupObjectPermission.objects.filter(group=group, content_object=site)
    have.exclude(permission_id__in=want).delete()
    present = set(have.values_list("permission_id", flat=True))
    SiteGroupObjectPermission.objects.bulk_create(
        SiteGroupObjectPermission(group=group, content_object=site, permission_id=pk)
        for pk in want - present
    )
    group.permissions.set(_admin_perms(spec.admin_perms))
    # the grants on the site's active delegations and owned cases: their apps' receivers
    # (county.catalogue.grants, sites.cases.grants)
    role_group_synced.send(sender=RoleGroup, group=group, site=site, role=role)


def role_groups_sync_all() -> int:
    """Re-derive every role group's grants; returns how many groups were synced."""
    count = 0
    for rg in RoleGroup.objects.select_related("group", "site"):
        role_group_sync(group=rg.group, site=rg.site, role=Role(rg.role))
        count += 1
    return count


def _admin_perms(names) -> list[Permission]:
    """Permission rows for "app_label.codename" names (the admin's model permissions)."""
    cond = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        cond |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(cond))
    assert len(found) == len(set(names)), f"unknown model permissions in roles.py: {names}"
    return found


def _staff_flag_sync(user) -> None:
    """is_staff (may log in to /admin/) exactly while the user holds a role with admin_perms;
    superusers keep theirs."""
    admin_roles = [r.value for r, s in ROLES.items() if s.admin_perms]
    want = (
        user.is_superuser
        or RoleGroup.objects.filter(group__user=user, role__in=admin_roles).exists()
    )
    if user.is_staff != want:
        user.is_staff = want
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_grant(*, user, site: Site, role: Role | str) -> Group:
    group = role_group_get_or_create(site=site, role=role)
    user.groups.add(group)
    _staff_flag_sync(user)
    _forget(user)
    return group


@transaction.atomic
def role_revoke(*, user, site: Site, role: Role | str) -> None:
    rg = RoleGroup.objects.filter(site=site, role=Role(role)).select_related("group").first()
    if rg:
        user.groups.remove(rg.group)
    _staff_flag_sync(user)
    _forget(user)


def _forget(user) -> None:
    # access.py caches a user's grants on the user object for one request
    user.__dict__.pop("_hall_grants", None)


# --- staff ----------------------------------------------------------------------------------


@transaction.atomic
def staff_create(
    *,
    username: str,
    name: str,
    site: Site,
    roles: Iterable[Role | str],
    password: str | None,
    email: str = "",
):
    """A staff account at a site with its roles there. No password: the account cannot log
    in until one is set (set_unusable_password), which is what a bulk import wants."""
    User = get_user_model()
    roles = [Role(r) for r in roles]
    if not roles:
        raise ValidationError("至少指定一个角色。")
    for role in roles:
        role_check_tier(site=site, role=role)
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名 {username} 已存在。")
    user = User(username=username, email=email, first_name=name[:150], is_staff=False)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Staff.objects.create(user=user, name=name, site=site)
    for role in roles:
        role_grant(user=user, site=site, role=role)
    return user


# --- the groups that handle cases ---------------------------------------------------------


def handling_groups(site_id: int) -> list[Group]:
    """The groups at a site whose roles handle cases."""
    handling = [r.value for r, s in ROLES.items() if s.handles_cases]
    return list(Group.objects.filter(role_group__site_id=site_id, role_group__role__in=handling))


# --- cases ----------------------------------------------------------------------------------


def case_grants_for_owner(*, case) -> None:
    """Handling rights on a case belong to the handling groups of the site that owns it now."""
    perm = perm_get(type(case), CasePerm.HANDLE)
    CaseGroupObjectPermission.objects.filter(content_object=case, permission=perm).delete()
    CaseGroupObjectPermission.objects.bulk_create(
        [
            CaseGroupObjectPermission(group=g, content_object=case, permission=perm)
            for g in handling_groups(case.owner_site_id)
        ],
        ignore_conflicts=True,
    )


def case_grants_for_clerk(*, case, old_clerk, new_clerk) -> None:
    """The assigned clerk holds a personal handling grant; the previous one loses it."""
    perm = perm_get(type(case), CasePerm.HANDLE)
    if old_clerk is not None:
        CaseUserObjectPermission.objects.filter(
            content_object=case, permission=perm, user=old_clerk
        ).delete()
    if new_clerk is not None:
        CaseUserObjectPermission.objects.get_or_create(
            content_object=case, permission=perm, user=new_clerk
        )


def case_grants_owner_moved(*, case) -> None:
    """Ownership moved: the old site's groups and the assigned clerk lose handling rights."""
    perm = perm_get(type(case), CasePerm.HANDLE)
    CaseUserObjectPermission.objects.filter(content_object=case, permission=perm).delete()
    case_grants_for_owner(case=case)
