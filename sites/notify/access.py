"""Who may read notifications: the same checks for the menu (deploy/navigation.py) and views.

- 短信记录 (this hall's SMS): staff who handle cases here (受理/审批) or supervise this hall
  (at it or above it). Phones are masked on the page all the same.
- 短信监察 (the county's list of failed notifications and the monthly figures) is the
  county's: county.supervision.sms (sms_supervised_codes in county.supervision.access).
"""

from __future__ import annotations

from permissions.access import has_site_perm_over, user_site_grants
from permissions.roles import SitePerm


def may_view_sms_log(*, user, here) -> bool:
    grants = user_site_grants(user=user)
    if grants.has(SitePerm.ACT, here.id) or grants.has(SitePerm.DECIDE, here.id):
        return True
    return has_site_perm_over(user=user, site=here, perm=SitePerm.SUPERVISE)
