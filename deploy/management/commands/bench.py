"""`hall bench NAME`: run tests/benchmarks/bench_NAME.py (its `run(argv)`).

A benchmark prints its figures as ratios against a baseline measured in the same run and
ends with one JSON object on the last line of output.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from django.core.management.base import BaseCommand, CommandError

from deploy.env import REPO_ROOT

BENCH_DIR = REPO_ROOT / "tests" / "benchmarks"


def bench_names() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


class Command(BaseCommand):
    help = "Run a benchmark from tests/benchmarks/ (names: see --help)."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(bench_names()) or '(none yet)'}")
        parser.add_argument("args", nargs=argparse.REMAINDER, help="passed to the benchmark")

    def handle(self, *args, **opts):
        name = opts["name"].replace("-", "_")  # `hall bench county-day`
        if name not in bench_names():
            raise CommandError(f"no benchmark {name!r}; known: {', '.join(bench_names())}")
        if str(REPO_ROOT) not in sys.path:
            sys.path.insert(0, str(REPO_ROOT))
        module = importlib.import_module(f"tests.benchmarks.bench_{name}")
        # BaseCommand passes the positional "args" as *args, not in opts
        module.run(list(args))
