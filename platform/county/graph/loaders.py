"""Request-scoped lookups, so a field resolved per row costs no query per row."""

from __future__ import annotations

from graphql import GraphQLError

from county.readmodel.selectors import statistics
from county.workdays.selectors import calendar_current
from permissions.access import SitePerm, user_site_grants
from sites.registry.models import Site


def choice_label(choices, value: str) -> str:
    """The Chinese label of a choice value; the value itself when unknown, "" when empty."""
    try:
        return choices(value).label if value else ""
    except ValueError:
        return value


def request_cache(info) -> dict:
    request = info.context
    if not hasattr(request, "_graph_cache"):
        request._graph_cache = {}
    return request._graph_cache


def sites_by_id(info) -> dict[int, Site]:
    """Every site, loaded once per request (a county has hundreds, not millions)."""
    cache = request_cache(info)
    if "sites" not in cache:
        cache["sites"] = {s.pk: s for s in Site.objects.all()}
    return cache["sites"]


def site_children(info) -> dict[int, list[Site]]:
    cache = request_cache(info)
    if "children" not in cache:
        children: dict[int, list[Site]] = {}
        for site in sorted(sites_by_id(info).values(), key=lambda s: s.path):
            children.setdefault(site.parent_id, []).append(site)
        cache["children"] = children
    return cache["children"]


def sites_by_code(info) -> dict[str, Site]:
    cache = request_cache(info)
    if "site_codes" not in cache:
        cache["site_codes"] = {s.code: s for s in sites_by_id(info).values()}
    return cache["site_codes"]


def calendar(info):
    """The working-day calendar, checked once per request."""
    cache = request_cache(info)
    if "calendar" not in cache:
        cache["calendar"] = calendar_current()
    return cache["calendar"]


def site_statistics(info, *, since=None, until=None) -> dict[str, dict]:
    """Per-site statistics for a period: two grouped queries for the whole tree."""
    user = info.context.user
    if not user.is_authenticated or not user_site_grants(user=user).subtree_paths(
        SitePerm.VIEW_CASES
    ):
        raise GraphQLError("统计数据仅对有查看办件权限的工作人员开放。")
    cache = request_cache(info)
    key = ("statistics", since, until)
    if key not in cache:
        rows = statistics(by_item=False, since=since, until=until)
        cache[key] = {row["site"]: row for row in rows}
    return cache[key]
