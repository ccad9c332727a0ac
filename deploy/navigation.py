"""The hall's menu on every page: for staff, exactly what this person may do here.

Each entry asks the same access check its view asks (permissions.*, county.catalogue), so a
link shown never answers 403 and nothing a person may do is missing. Citizens (and everyone,
in the footer) get the hall's public services. Built lazily: pages that never render the menu
(JSON, files) pay nothing; the grants read is cached on the user for the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from county.rules.access import may_read_rules
from county.supervision.access import can_issue_order, hall_feed_codes, supervised_codes
from permissions import access
from permissions.roles import SitePerm
from sites.feedback.access import may_handle_feedback, may_view_rankings
from sites.joint.access import can_view_stalled
from sites.notify.access import may_view_sms_log
from sites.queueing.access import can_call_tickets, can_prereview, can_view_queue_statistics
from sites.registry.models import Site, Tier
from sites.registry.tree import site_spec


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass
class Menu:
    staff: bool
    user_name: str = ""
    role_labels: list[str] = field(default_factory=list)
    items: list[Link] = field(default_factory=list)
    public: list[Link] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)  # names of what this person may do
    back: Link | None = None  # the menu page this page sits under (a GOV.UK back link)

    def may(self, name: str) -> bool:
        return name in self.allowed


PUBLIC = [
    ("办事指南", "guide:list"),
    ("预约办事", "queueing:booking"),
    ("取号", "queueing:kiosk"),
    ("办件查询", "citizen-case-status"),
    ("网上申报查询", "online:status"),
    ("评价与投诉", "feedback:citizen"),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a route only some tiers have
        return None


def _back(path: str, links: list[Link]) -> Link | None:
    """The longest menu entry whose address is a proper prefix of this page's: 返回<entry>."""
    if any(link.url == path for link in links):
        return None  # a menu page itself: the menu is the way around
    above = [link for link in links if link.url != "/" and path.startswith(link.url)]
    return max(above, key=lambda link: len(link.url), default=None)


def _current(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url)


def staff_allowed(*, user, here: Site) -> list[tuple[str, str, str]]:
    """(key, label, url name) of every staff page this person may open here, in menu order."""
    grants = access.user_site_grants(user=user)
    acts = grants.has(SitePerm.ACT, here.id)
    agent = grants.has(SitePerm.FILE_AS_AGENT, here.id)
    inbox = access.may_open_inbox(user=user, site=here)
    county = here.tier == Tier.COUNTY
    rows: list[tuple[str, str, str, bool]] = [
        ("inbox", "待办", "workbench:inbox", acts),
        ("cases", "办件查询", "workbench:inbox", inbox and not acts),
        ("intake", "收件", "workbench:intake", access.may_open_intake(user=user, site=here)),
        ("followed", "我代办的", "workbench:followed", agent),
        ("calling", "叫号", "workbench:calling", can_call_tickets(user=user, site=here)),
        ("delivery", "结果送达", "delivery:pending", acts),  # sites.delivery.views.may_deliver
        ("prereview", "网上预审", "workbench:prereview-list", can_prereview(user=user, site=here)),
        (
            "queue-stats",
            "排队统计",
            "workbench:queue-stats",
            can_view_queue_statistics(user=user, site=here),
        ),
        ("countersign", "集中会签", "workbench:countersign", grants.has(SitePerm.DECIDE, here.id)),
        ("stalled", "停滞联办", "workbench:stalled", can_view_stalled(user=user)),
        ("sms", "短信记录", "notify:log", may_view_sms_log(user=user, here=here)),
    ]
    supervised = supervised_codes(user=user) if county else []
    feed = supervised if county else hall_feed_codes(user=user, here=here)
    rows += [
        # the dashboard opens on the whole county: a supervisor of the county itself
        ("supervision", "电子监察", "supervision:dashboard", county and supervised is None),
        ("alerts", "预警", "supervision:alerts", feed != []),
        (
            "orders",
            "督办单",
            "supervision:orders",
            (county and can_issue_order(user=user)) or bool(hall_feed_codes(user=user, here=here)),
        ),
        ("sms-watch", "短信监察", "sms-watch", county and supervised != []),
        ("assessment", "考核", "assessment:ranking", may_view_rankings(user=user)),
        ("hall-assessment", "本站考核", "assessment-hall", acts),
        ("complaints", "投诉处理", "assessment:complaints", may_handle_feedback(user=user)),
        ("rules", "规则", "rules:list", may_read_rules(user=user)),
        ("catalogue", "管理后台", "admin:index", bool(user.is_staff)),
    ]
    return [(key, label, name) for key, label, name, ok in rows if ok]


def menu_for(request) -> Menu:
    user = getattr(request, "user", None)
    path = request.path
    public = [
        Link(label, url, _current(path, url)) for label, name in PUBLIC if (url := _url(name))
    ]
    if user is None or not user.is_authenticated:
        return Menu(staff=False, public=public, back=_back(path, public))
    here = Site.objects.filter(code=settings.HALL_SITE).first()
    staff = getattr(user, "staff", None)
    name = getattr(staff, "name", "") or user.get_username()
    menu = Menu(staff=True, user_name=name, public=public)
    items = [Link("首页", "/", path == "/")]
    if here is not None and access.user_active(user):
        for key, label, url_name in staff_allowed(user=user, here=here):
            url = _url(url_name)
            if url is None:
                continue
            menu.allowed.add(key)
            items.append(Link(label, url, _current(path, url) and url != "/gongzuotai/"))
    # 待办 is /gongzuotai/, a prefix of every workbench page: current only on itself
    items = [
        Link(i.label, i.url, i.current or (i.url == "/gongzuotai/" and path == "/gongzuotai/"))
        for i in items
    ]
    menu.items = items
    menu.back = _back(path, items) or _back(path, public)
    return menu


def navigation(request) -> dict:
    """Context processor: `hall_nav` (the menu, lazily) and `hall_tier_label`."""
    tier = site_spec(settings.HALL_SITE).tier
    return {
        "hall_nav": SimpleLazyObject(lambda: menu_for(request)),
        "hall_tier_label": Tier(tier).label if tier in Tier.values else "",
    }
