"""A page crawler over Django's test client: follow every same-hall link from a front page,
submit every form found with empty, malformed and extreme values, and record what answered.

Bounded so the suite stays fast: a page is crawled once per role per URL pattern (the first
concrete URL met stands for the pattern), and a form is fuzzed once per crawl for each
(action pattern, field names) pair; the links offered to a role are all requested (403 check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Values a careless or hostile user types: text for numbers, signs, overflow, impossible and
# far dates, long strings, markup.
FUZZ = [
    "",
    "abc",
    "-1",
    "0",
    str(10**20),
    "2026-02-30T09:00",
    "2026-02-30",
    "0001-01-01",
    "0001-01",
    "9999-12-31",
    "9999",
    "x" * 5000,
    '<script>alert("x")</script>',
]
# Tried in one field at a time, the others as the page filled them in.
PER_FIELD = ["abc", "-1", str(10**20), "2026-02-30T09:00", "0001-01", "x" * 5000]
# Query parameters the page views read: each page is asked once with each FUZZ value in all.
QUERY_NAMES = [
    "size", "page", "state", "q", "all", "kind", "period", "day", "from", "to", "status",
    "item", "department", "e", "kiosk", "window", "month", "site", "level",
]  # fmt: skip
# Never followed: leaving the session, the Django admin (its own app), the API and machine feeds.
SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/api/", "/static/", "/healthz/", "/graphql/")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]]  # (name, type, default value)
    options: dict[str, list[str]] = field(default_factory=dict)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.title: str | None = None
        self._in_title = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "title":
            self._in_title, self.title = True, self.title or ""
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append(Form(a.get("action") or "", method, []))
        elif self.forms and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = (a.get("type") or tag).lower()
            if tag == "button" or kind == "submit":
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].options.setdefault(a["name"], []).append(a.get("value", "on"))
                if any(f[0] == a["name"] for f in self.forms[-1].fields):
                    return
                self.forms[-1].fields.append((a["name"], kind, ""))
                return
            self.forms[-1].fields.append((a["name"], kind, a.get("value", "")))
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._select and self.forms:
            self.forms[-1].options.setdefault(self._select, []).append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def route_of(path: str) -> str | None:
    """The URL pattern a path resolves to (its route), None outside the hall's pages."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


@dataclass
class Problem:
    role: str
    kind: str  # 5xx, 403, no-title
    url: str
    detail: str = ""

    def __str__(self):
        return f"[{self.role}] {self.kind} {self.url} {self.detail}".strip()

    def group(self) -> tuple:
        method, _, rest = self.url.partition(" ")
        return (self.kind, method, route_of(urlsplit(rest.split(" ")[0]).path))


def summary(problems: list[Problem]) -> list[str]:
    """One line per (kind, method, route): which roles, how many requests."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.group(), []).append(p)
    return [
        f"{kind} {method} /{route} x{len(ps)} roles={sorted({p.role for p in ps})} e.g. {ps[0].url}"
        for (kind, method, route), ps in groups.items()
    ]


@dataclass
class Crawl:
    """One crawl's findings, shared by every role's crawl of a run."""

    problems: list[Problem] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # routes answered (GET or after a redirect)
    fuzzed_pages: set[str] = field(default_factory=set)
    fuzzed_forms: set[tuple] = field(default_factory=set)
    requests: int = 0

    def crawl(self, client, role: str, start: str = "/", limit: int = 200) -> None:
        seen_routes: set[str] = set()
        queue: list[str] = [start]
        offered: set[str] = set()
        while queue and len(seen_routes) < limit:
            url = queue.pop(0)
            forced = url.startswith("!")  # where a form's redirect led: its state changed
            url = url.lstrip("!")
            route = route_of(urlsplit(url).path)
            key = (route, tuple(sorted(k for k, _ in parse_qsl(urlsplit(url).query))))
            if route is None or (key in seen_routes and not forced):
                continue
            seen_routes.add(key)
            response = self._get(client, role, url, offered=url in offered)
            if response is None or getattr(response, "streaming", False):
                continue
            page = parse(response.content.decode("utf-8", "replace"))
            self._fuzz_query(client, role, url, route)
            for href in page.links:
                target = self._same_hall(url, href)
                if target:
                    offered.add(target)
                    queue.append(target)
            for form in page.forms:
                self._fuzz_form(client, role, url, form, queue)

    def _same_hall(self, base: str, href: str) -> str | None:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            return None
        target = urljoin(base, href)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or parts.path.startswith(SKIP_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _answer(self, role, method, url, response, *, offered=False):
        self.requests += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(Problem(role, "5xx", f"{method} {url}", str(status)))
        elif status == 403 and offered:
            self.problems.append(Problem(role, "403", f"{method} {url}", "offered as a link"))
        if status == 200 and getattr(response, "streaming", False):
            self.reached.add(route_of(urlsplit(url).path) or "")  # a download
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.reached.add(route_of(urlsplit(url).path) or "")
            title = parse(response.content.decode("utf-8", "replace")).title
            if not (title or "").strip():
                self.problems.append(Problem(role, "no-title", f"{method} {url}"))
        elif status < 400:
            self.reached.add(route_of(urlsplit(url).path) or "")

    def _get(self, client, role, url, *, offered=False):
        response = client.get(url)
        self._answer(role, "GET", url, response, offered=offered)
        if response.status_code in (301, 302, 303) and response.get("Location", "").startswith("/"):
            target = response["Location"]
            if not target.startswith(SKIP_PREFIXES):
                followed = client.get(target)
                self._answer(role, "GET", target, followed)
                return followed if followed.status_code < 400 else None
        return response if response.status_code < 400 else None

    def _fuzz_query(self, client, role, url, route):
        if route in self.fuzzed_pages:
            return
        self.fuzzed_pages.add(route)
        path = urlsplit(url).path
        for value in [*PER_FIELD, "9999", "0", FUZZ[-1]]:
            query = urlencode({name: value for name in QUERY_NAMES})
            response = client.get(f"{path}?{query}")
            self._answer(role, "GET", f"{path}?{'|'.join(QUERY_NAMES)}={value[:20]}", response)
        params = dict(parse_qsl(urlsplit(url).query))
        for name in params:  # the link's own parameters, one at a time
            for value in PER_FIELD:
                query = urlencode({**params, name: value})
                self._answer(
                    role, "GET", f"{path}?{name}={value[:20]}", client.get(f"{path}?{query}")
                )

    def _fuzz_form(self, client, role, url, form: Form, queue: list[str]) -> None:
        action = urljoin(url, form.action) if form.action else url
        path = urlsplit(action).path
        if path.startswith(SKIP_PREFIXES):
            return
        names = tuple(sorted(n for n, _, _ in form.fields))
        key = (route_of(path), form.method, names)
        if key in self.fuzzed_forms:
            return
        self.fuzzed_forms.add(key)
        send = client.post if form.method == "post" else client.get
        for value in FUZZ:
            data = {
                name: value
                for name, kind, _ in form.fields
                if name != "csrfmiddlewaretoken" and kind != "file"
            }
            self._answer(role, form.method.upper(), f"{path} [{value[:20]!r}]", send(path, data))
        # What a person clicking the button sends: the defaults, the first choice of each
        # list; then each field alone spoiled. The first answer (a redirect to a new page)
        # is crawled too.
        data = {}
        for name, kind, default in form.fields:
            if name == "csrfmiddlewaretoken" or kind == "file":
                continue
            choices = [o for o in form.options.get(name, []) if o]
            data[name] = default or (choices[0] if choices else "")
        for name in data:
            for value in PER_FIELD:
                spoiled = send(path, {**data, name: value})
                self._answer(role, form.method.upper(), f"{path} [{name}={value[:20]!r}]", spoiled)
        if form.method == "get":  # a filter: each choice of each list with each field spoiled
            for pick, options in form.options.items():
                for option in options[1:]:
                    for name in data:
                        if name in form.options:
                            continue
                        for value in PER_FIELD:
                            spoiled = {**data, pick: option, name: value}
                            label = f"{path} [{pick}={option} {name}={value[:20]!r}]"
                            self._answer(role, "GET", label, send(path, spoiled))
        response = send(path, data)
        self._answer(role, form.method.upper(), f"{path} [defaults]", response)
        if response.status_code < 500 and response.status_code != 405:
            self.reached.add(key[0] or "")  # a form on a reached page posts here
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        if location.startswith("/"):
            queue.append("!" + location)
