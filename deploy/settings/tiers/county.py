"""The county authors the catalogue and rules and keeps the cross-site read model."""

from sites.registry.tier import of


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = of("county").authors_catalogue
