from datetime import date

import pytest

from tests.supervision.factories import Timeline, bj

NOV = "2026-11"


@pytest.fixture
def month(halls, at_site):
    """The fixture month (November 2026), counted by hand in test_figures.py.

    t-maan's subtree (t-maan, v-shiqiao, v-liujia):
      A mzj-002 filed+accepted at v-shiqiao 11-02, forwarded, decided at t-maan 11-06, 4 days
      B mzj-004 (instant) at t-maan 11-03, accepted and decided the same day, 0 days
      C rsj-004 at t-maan filed 11-04, accepted 11-05 (1 working day), deadline 11-16,
        overdue 11-17, decided 11-18 after 9 days
      D mzj-002 at t-maan filed and accepted 11-10, still open
      E mzj-001 at v-liujia filed 11-20, refused (never accepted)
      G mzj-002 at t-maan filed and accepted 10-30 (October), decided 11-02 after 1 day
      H scjg-003 (joint) at t-maan filed and accepted 11-09; the wjj part deemed 11-12
    elsewhere: F mzj-004 at t-huangtan 11-05, accepted and decided the same day
    """
    at_site("county")
    a = Timeline("v-shiqiao-20261102-0001", "mzj-002", "v-shiqiao", bj("2026-11-02", "09:00"))
    a.accept(bj("2026-11-02", "10:00"), None).forward(bj("2026-11-02", "11:00"), "t-maan")
    a.event("accepted", bj("2026-11-03"), "t-maan", deadline="2026-11-11")
    a.decide(bj("2026-11-06", "15:00"), used=4)
    b = Timeline("t-maan-20261103-0001", "mzj-004", "t-maan", bj("2026-11-03", "09:00"))
    b.accept(bj("2026-11-03", "09:10"), date(2026, 11, 3)).decide(bj("2026-11-03", "11:00"), 0)
    c = Timeline("t-maan-20261104-0001", "rsj-004", "t-maan", bj("2026-11-04", "09:00"))
    c.accept(bj("2026-11-05", "09:00"), date(2026, 11, 16))
    c.event("overdue", bj("2026-11-17", "00:05"), "t-maan", clock_state="overdue", days_used=8)
    c.decide(bj("2026-11-18", "16:00"), used=9)
    d = Timeline("t-maan-20261110-0001", "mzj-002", "t-maan", bj("2026-11-10", "09:00"))
    d.accept(bj("2026-11-10", "09:30"), date(2026, 11, 19))
    e = Timeline("v-liujia-20261120-0001", "mzj-001", "v-liujia", bj("2026-11-20", "09:00"))
    e.refuse(bj("2026-11-20", "09:30"))
    g = Timeline("t-maan-20261030-0001", "mzj-002", "t-maan", bj("2026-10-30", "09:00"))
    g.accept(bj("2026-10-30", "09:30"), date(2026, 11, 10)).decide(bj("2026-11-02", "10:00"), 1)
    h = Timeline("t-maan-20261109-0001", "scjg-003", "t-maan", bj("2026-11-09", "09:00"))
    h.accept(bj("2026-11-09", "09:30"), date(2026, 11, 23))
    h.event(
        "deemed_consent",
        bj("2026-11-12", "00:10"),
        "t-maan",
        data={"part": {"department": "wjj", "site": "t-maan"}},
    )
    f = Timeline("t-huangtan-20261105-0001", "mzj-004", "t-huangtan", bj("2026-11-05", "09:00"))
    f.accept(bj("2026-11-05", "09:10"), date(2026, 11, 5)).decide(bj("2026-11-05", "09:40"), 0)
    return NOV
