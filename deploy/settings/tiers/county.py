"""The county authors the catalogue and rules and keeps the cross-site read model."""


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = True
