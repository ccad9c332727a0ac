"""`hall schema`: regenerate the committed API schemas (CI fails when they drift)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql.operations import DatabaseOperations

from county.graph.schema import schema
from deploy.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Write the OpenAPI (and GraphQL SDL) schemas to docs/schema/."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(SCHEMAS), help="one schema")
        parser.add_argument("--out", help="write here instead of the committed path")

    def handle(self, *args, **opts):
        names = [opts["only"]] if opts["only"] else list(SCHEMAS)
        for name in names:
            out = Path(opts["out"]) if opts["out"] else SCHEMAS[name]
            out.parent.mkdir(parents=True, exist_ok=True)
            WRITERS[name](out)
            self.stdout.write(f"wrote {out}")


def postgresql_integer_ranges() -> None:
    """Give the model fields PostgreSQL's integer bounds, whatever database this process
    uses: production runs PostgreSQL, whose integer column is int32, while SQLite (the
    embedded default) would advertise int64 bounds the production columns cannot hold."""
    # PostgreSQL's operations inherit the standard ranges; SQLite overrides the method
    connection.ops.integer_field_range = BaseDatabaseOperations.integer_field_range.__get__(
        connection.ops
    )
    connection.ops.integer_field_ranges = DatabaseOperations.integer_field_ranges
    for model in apps.get_models():
        for field in model._meta.get_fields():
            vars(field).pop("validators", None)  # cached_property: recompute with the bounds


def _openapi(out: Path) -> None:
    postgresql_integer_ranges()
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")


def _graphql(out: Path) -> None:
    out.write_text(str(schema).rstrip() + "\n", encoding="utf-8")


WRITERS = {"openapi": _openapi, "graphql": _graphql}
