"""`hall`: the command line of a hall node.

    hall [--site CODE] COMMAND [ARGS...]

COMMAND is `test` (lint, schema and migration checks, then the suite) or any Django
management command of the node: demo, node, relay, consume, sync-status, bench NAME,
schema, migrate, createsuperuser, ...  `--site` picks the hall (default: $HALL_SITE or county).
"""

from __future__ import annotations

import os
import sys


def _take_site(argv: list[str]) -> list[str]:
    if argv[:1] == ["--site"] and len(argv) > 1:
        os.environ["HALL_SITE"] = argv[1]
        return argv[2:]
    if argv and argv[0].startswith("--site="):
        os.environ["HALL_SITE"] = argv[0].split("=", 1)[1]
        return argv[1:]
    return argv


def main(argv: list[str] | None = None) -> None:
    args = _take_site(list(sys.argv[1:] if argv is None else argv))
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        print("\nREADME: ./hall demo   (the embedded demo)   ./hall test   (the whole suite)")
        return
    if args[0] == "test":
        from deploy.checks import run_all  # noqa: PLC0415  (only `hall test` needs the checks)

        sys.exit(run_all(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deploy.settings.node")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (settings set)

    execute_from_command_line(["hall", *args])


if __name__ == "__main__":
    main()
