"""A node's Python, started once: Django set up, then one forked child per piece of code.

`Node.python()` used to run `hall shell -c` for every call: a whole Django start (imports,
settings, app registry) each time, about 250 of them in the multi-node tests. This server
pays for the start once per node; each call still runs in a fresh process of its own (a
fork: nothing cached, no connection shared with the previous call), as `hall shell` did.

Protocol (stdin/stdout, one JSON line each): {"code": ..., "out": path} -> {"exit": n}.
The child writes the JSON of `result` to `out`; its own output goes to python.log.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _child(code: str, out: str, log: str) -> int:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    try:
        scope = {"__name__": "__main__", "json": json, "result": None}
        exec(compile(code, "<node.python>", "exec"), scope)
        text = json.dumps({"result": scope.get("result")}, default=str)
    except BaseException:
        text = json.dumps({"error": traceback.format_exc()[-3000:]})
    with open(out, "w") as f:
        f.write(text)
    from django.db import connections

    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    return 0


def main() -> None:
    import django
    from django.db import connections

    django.setup()
    log = os.environ.get("HALL_FORKSHELL_LOG", os.devnull)
    reply = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        connections.close_all()  # the child opens its own
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(request["code"], request["out"], log)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        reply.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
