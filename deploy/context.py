from django.conf import settings


def hall(request):
    """The node's identity on every page."""
    return {"hall_site": settings.HALL_SITE_SPEC}
