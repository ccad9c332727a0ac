"""Signals the cases app sends so that other apps (permissions) follow case changes.

Sent inside the transaction of the change, so receivers' writes commit or roll back with it.
"""

from django.dispatch import Signal

# A case now exists at this node (filed here, or arrived by an ownership transfer).
# kwargs: case
case_created = Signal()

# Ownership moved (forward up, hand back, reassign). kwargs: case, old_site, new_site
case_owner_changed = Signal()

# The clerk or window responsible for the case changed. kwargs: case, old_clerk, new_clerk
case_assigned = Signal()
