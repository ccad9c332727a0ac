"""`hall bench verify`: what signing and verifying cost per message, in this process, for
the three envelope signatures (ADR 0012): HMAC (format 1, the previous release), one
Ed25519 signature per message, and messages filed a hundred together (one signature over
their Merkle tree). Rounds alternate, the best of each is printed; last line JSON."""

from __future__ import annotations

import argparse
import json
import time

from django.test import override_settings
from django.utils import timezone


def _bodies(mode: str, n: int, group: int) -> list[str]:
    from sync.envelope import envelope_build, envelope_dumps, envelopes_sign

    with override_settings(HALL_SYNC_SIGN="hmac" if mode == "hmac" else "ed25519"):
        envs = [
            envelope_build(
                type="test.case.event",
                dest="t-maan",
                aggregate=f"C-{i}",
                seq=1,
                payload={"n": i},
                at=timezone.now(),
                signed=mode != "tree",
            )
            for i in range(n)
        ]
        if mode != "tree":
            return [envelope_dumps(e) for e in envs]
        out = []
        for k in range(0, n, group):
            out += [envelope_dumps(e) for e in envelopes_sign(envs[k : k + group])]
        return out


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="hall bench verify")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--group", type=int, default=100, help="messages filed together")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from sync import keys
    from sync.envelope import envelope_parse

    results = {}
    # Public keys from the pinned folder only (no database needed); HMAC accepted for (a).
    with override_settings(HALL_SYNC_PUBLIC_KEYS="", HALL_SYNC_HMAC="accept"):
        keys.keys_changed()
        modes = ("hmac", "single", "tree")
        sign_us = {m: [] for m in modes}
        parse_us = {m: [] for m in modes}
        sizes = {}
        for _ in range(args.rounds):
            for mode in modes:
                start = time.perf_counter()
                bodies = _bodies(mode, args.messages, args.group)
                sign_us[mode].append((time.perf_counter() - start) / args.messages * 1e6)
                sizes[mode] = len(bodies[0])
                keys._roots.seen.clear()
                start = time.perf_counter()
                for body in bodies:
                    envelope_parse(body)
                parse_us[mode].append((time.perf_counter() - start) / args.messages * 1e6)
        for mode in modes:
            results[mode] = {
                "build_sign_us": round(min(sign_us[mode]), 1),
                "parse_verify_us": round(min(parse_us[mode]), 1),
                "body_bytes": sizes[mode],
            }
            print(
                f"{mode:<7} build+sign {results[mode]['build_sign_us']:>7} µs/msg   "
                f"parse+verify {results[mode]['parse_verify_us']:>7} µs/msg   "
                f"{sizes[mode]} bytes"
            )
    print(json.dumps(results))
