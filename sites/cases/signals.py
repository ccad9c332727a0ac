"""Signals the cases app sends so that other apps follow case changes: the one mechanism
inside a hall for "a case changed" (ADR 0026; across halls: sync appliers).

Sent inside the transaction of the change, so receivers' writes commit or roll back with it;
a receiver that reaches outside the database (an SMS, a print job) defers it with
`transaction.on_commit`. Connect with a dispatch_uid in the listening app's ready():

    @receiver(case_changed, dispatch_uid="notify-case-changed")
    def _changed(sender, case, event, here, **kwargs):
        if event.type == EventType.ACCEPTED: ...
"""

from django.dispatch import Signal

# A case now exists at this node (filed here, or arrived by an ownership transfer).
# kwargs: case
case_created = Signal()

# Ownership moved (forward up, hand back, reassign). kwargs: case, old_site, new_site
case_owner_changed = Signal()

# The clerk or window responsible for the case changed. kwargs: case, old_clerk, new_clerk
case_assigned = Signal()

# An event was recorded for a case at this hall (every transition: 收件, 受理, 办结, 退办...;
# sites.cases.lifecycle.event_record), after the case is saved and the event published.
# kwargs: case, event (CaseEvent: type, at, actor, data), here (this hall's Site)
case_changed = Signal()
