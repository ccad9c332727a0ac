from django.conf import settings

from sites.registry.tree import site_spec


def hall(request):
    """The node's identity on every page (read from HALL_SITE each time: the tree is cached,
    and tests switch halls in one process)."""
    return {"hall_site": site_spec(settings.HALL_SITE)}
