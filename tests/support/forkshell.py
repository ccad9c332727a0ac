"""A node's Python, started once: Django set up, then one forked child per piece of code.

`Node.python()` used to run `hall shell -c` for every call: a whole Django start (imports,
settings, app registry) each time, about 250 of them in the multi-node tests. This server
pays for the start once per node; each call still runs in a fresh process of its own (a
fork: nothing cached, no connection shared with the previous call), as `hall shell` did.
`Node.start()` (`hall relay`, `hall consume`, `hall station`, `hall runserver`) is a fork
of it as well: the command runs as `hall KIND ARGS` would (`ManagementUtility`, the same
environment), with its output in its log, in a process of its own that the test signals
and kills by pid; only the imports are not paid again (ADR 0019).

Protocol (stdin/stdout, one JSON line each):
  {"code": ..., "out": path} -> {"exit": n}: the child writes the JSON of `result` to `out`,
      its own output goes to python.log;
  {"start": [kind, args...], "log": path, "exit": path} -> {"pid": n}: a long-running
      command; when it ends the server writes its exit status (as Popen.returncode: -N for
      signal N) to `exit`.
On SIGTERM the server stops the commands it started (SIGTERM, then SIGKILL after 10 s) and
records their exit before it ends itself.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import sys
import time
import traceback

_started: dict[int, str] = {}  # pid -> exit file of the long-running commands


def _redirect(log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)


def _child(code: str, out: str, log: str) -> int:
    _redirect(log)
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


def _command(argv: list[str], log: str) -> int:
    """`hall KIND ARGS` in this forked process (what deploy.cli.main runs)."""
    from django.core.management import ManagementUtility
    from django.db import connections

    _redirect(log)
    sys.argv = ["hall", *argv]
    code = 0
    try:
        ManagementUtility(["hall", *argv]).execute()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    connections.close_all()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _reap(*_) -> None:
    for pid, exit_file in list(_started.items()):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done and _started.pop(pid, None) is not None:  # not already reaped meanwhile
            tmp = f"{exit_file}.tmp"
            with open(tmp, "w") as f:
                f.write(str(os.waitstatus_to_exitcode(status)))
            os.replace(tmp, exit_file)


def _terminate(*_) -> None:
    """SIGTERM to the server: its commands stop first, their exit recorded."""
    for pid in list(_started):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _started and time.monotonic() < deadline:
        _reap()
        time.sleep(0.02)
    for pid in list(_started):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    while _started:
        _reap()
        time.sleep(0.02)
    os._exit(0)


def _fork(run, *args) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _started.clear()  # the server's commands are not this child's
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = run(*args)
        finally:
            os._exit(code)
    return pid


def main() -> None:
    import django
    from django.db import connections

    django.setup()
    log = os.environ.get("HALL_FORKSHELL_LOG", os.devnull)
    reply = sys.stdout
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGTERM, _terminate)
    for line in sys.stdin:
        request = json.loads(line)
        connections.close_all()  # the child opens its own
        if "start" in request:
            pid = _fork(_command, request["start"], request["log"])
            _started[pid] = request["exit"]
            _reap()  # it may have ended before it was listed
            answer = {"pid": pid}
        else:
            pid = _fork(_child, request["code"], request["out"], log)
            _, status = os.waitpid(pid, 0)
            answer = {"exit": os.waitstatus_to_exitcode(status)}
        reply.write(json.dumps(answer) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
