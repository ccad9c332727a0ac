"""What sync/ knows about the halls, all from settings: sync is a mechanism, not the domain.

HALL_SYNC_TREE   dotted path of a callable (or the mapping itself) whose keys are the code
                 of every hall that may send or receive; deploy/settings points it at the
                 site registry. Read on each call: the callable does its own caching.
HALL_SYNC_FANIN  the hall whose queue also receives every aggregate message of every hall
                 (the county's read model) and so sees every chain whole.
HALL_SYNC_CONSUMER_START  dotted paths of callables run once when the consumer starts
                 (the catalogue asks for a first release there).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _imported(path: str):
    return import_string(path)


def site_codes() -> Collection[str]:
    """Every hall's code (a dict's keys keep the tree order)."""
    tree = settings.HALL_SYNC_TREE
    if isinstance(tree, str):
        tree = _imported(tree)()
    return tree


def fanin() -> str:
    return settings.HALL_SYNC_FANIN


def consumer_start_hooks() -> list[Callable[[], None]]:
    return [_imported(path) for path in getattr(settings, "HALL_SYNC_CONSUMER_START", ())]
