"""The embedded broker's topology when many processes declare it at the same moment.

Every hall process declares the whole topology at connect; a demo or a multi-node test
starts a dozen of them together on one broker folder. The exchange table must stay one
readable list holding every binding, and a table damaged by an older run must heal.
"""

import json
import multiprocessing

from kombu import Connection, Exchange, Queue

from sync.transport import DurableFilesystemTransport

QUEUES = [f"q{i}" for i in range(6)]
PROCESSES = 8
ROUNDS = 4


def _connection(folder) -> Connection:
    return Connection(
        "filesystem://",
        transport=DurableFilesystemTransport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        },
    )


def _declare(folder, barrier) -> None:
    exchange = Exchange("halls", type="topic", durable=True)
    with _connection(folder) as conn:
        channel = conn.default_channel
        barrier.wait()
        for name in QUEUES:
            Queue(name, exchange=exchange, routing_key=f"{name}.#")(channel).declare()


def _table(folder) -> list:
    return json.loads((folder / "control" / "halls.exchange").read_text())


def test_simultaneous_declarations_leave_one_readable_table(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        folder = tmp_path / f"broker{round_}"
        folder.mkdir()
        barrier = ctx.Barrier(PROCESSES)
        procs = [ctx.Process(target=_declare, args=(folder, barrier)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        assert [p.exitcode for p in procs] == [0] * PROCESSES
        table = _table(folder)
        assert sorted(q for _, _, q in table) == QUEUES  # each binding once, none lost


def test_a_damaged_table_is_rebuilt_by_the_next_declaration_and_publishes_route(tmp_path):
    (tmp_path / "control").mkdir()
    (tmp_path / "control" / "halls.exchange").write_text('[["a.#", "a.#", "a"]]]"x"]')
    exchange = Exchange("halls", type="topic", durable=True)
    with _connection(tmp_path) as conn:
        queue = Queue("a", exchange=exchange, routing_key="a.#")(conn.default_channel)
        queue.declare()
        assert [q for _, _, q in _table(tmp_path)] == ["a"]
        conn.Producer().publish({"n": 1}, exchange=exchange, routing_key="a.x")
        message = queue.get(no_ack=True)
        assert message is not None and message.payload == {"n": 1}
