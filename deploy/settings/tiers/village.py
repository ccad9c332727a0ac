"""A village station accepts on behalf of villagers and forwards; it may be offline for days."""

from sites.registry.tier import of


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = of("village").authors_catalogue
