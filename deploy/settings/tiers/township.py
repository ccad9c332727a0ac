"""A township receives the catalogue and its delegations; it decides delegated items."""

from sites.registry.tier import of


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = of("township").authors_catalogue
