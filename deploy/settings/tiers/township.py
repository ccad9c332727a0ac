"""A township receives the catalogue and its delegations; it decides delegated items."""


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = False
