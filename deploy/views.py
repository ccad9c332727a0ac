from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import OuterRef, Subquery
from django.http import JsonResponse
from django.shortcuts import render

from county.catalogue.models import HandlingType, ItemVersion
from county.catalogue.selectors import delegation_list
from sites.notify.selectors import notify_health
from sites.registry.models import Site
from sites.workbench.start import start_for
from sync.models import OutboxMessage, QuarantinedMessage
from sync.selectors import sync_status


def home(request):
    """The node's front page: who this hall is, what it may accept, how its sync stands."""
    site = Site.objects.filter(code=settings.HALL_SITE).select_related("parent").first()
    delegations = []
    if site:
        current = ItemVersion.objects.filter(
            item=OuterRef("item"), number=OuterRef("item__current_version")
        )
        delegations = delegation_list(site=site, active_only=True).annotate(
            item_name=Subquery(current.values("name")[:1]),
            handling_type=Subquery(current.values("handling_type")[:1]),
            promised_days=Subquery(current.values("promised_limit_days")[:1]),
        )
        delegations = list(delegations)
        for delegation in delegations:
            delegation.handling_label = HandlingType(delegation.handling_type).label
    status = sync_status() if request.user.is_authenticated else None
    origins = []
    if status:  # halls by name, not by code: "最后收到县政务服务中心的消息"
        names = dict(Site.objects.values_list("code", "name"))
        origins = [(names.get(code, code), row) for code, row in status["last_applied"].items()]
    start = (
        start_for(user=request.user, here=site) if request.user.is_authenticated and site else None
    )
    return render(
        request,
        "deploy/home.html",
        {
            "site": site,
            "delegations": delegations,
            "sync": status,
            "sync_origins": origins,
            "start": start,
        },
    )


# A backlog beyond this many unsent messages means the relay is stuck or the broker away.
HEALTH_BACKLOG_LIMIT = 10_000


def healthz(request):
    """For a load balancer or monitor: no auth, no personal data, 200 or 503 with JSON."""
    body = {
        "site": settings.HALL_SITE,
        "database": "ok",
        "outbox_backlog": None,
        "quarantined": None,  # refused or dead-lettered messages, each with its reason
        "notifications_due": None,  # SMS waiting to be sent or retried (sites/notify)
        "notifications_failed": None,  # SMS given up after every retry (decision 0027)
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["outbox_backlog"] = OutboxMessage.objects.filter(sent_at__isnull=True).count()
        body["quarantined"] = QuarantinedMessage.objects.count()
        body.update(notify_health())
    except DatabaseError as exc:
        body["database"] = f"error: {type(exc).__name__}"
    healthy = body["database"] == "ok" and body["outbox_backlog"] <= HEALTH_BACKLOG_LIMIT
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)
