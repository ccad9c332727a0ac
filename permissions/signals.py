"""What permissions announces, so the apps that own the rows keep their own grants.

permissions sits below the domain (docs/decisions/0025-layers.md): it knows role groups and
site grants, not cases or delegations. When a role group's grants are (re)derived, the apps
holding object grants for that site (cases, delegated items) add theirs in receivers.
"""

from django.dispatch import Signal

# sender: RoleGroup; kwargs: group (auth Group), site (registry Site), role (roles.Role).
# Sent inside the caller's transaction after the group's site grants are set.
role_group_synced = Signal()

# sender: None; sent by `hall permissions-sync`; each receiver re-derives the object grants
# its app owns and returns how many objects it went through.
object_grants_resync = Signal()
