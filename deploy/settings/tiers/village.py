"""A village station accepts on behalf of villagers and forwards; it may be offline for days."""


def apply(s: dict) -> None:
    s["HALL_AUTHORS_CATALOGUE"] = False
