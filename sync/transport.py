"""Broker connections and topology, the same code on RabbitMQ and on filesystem://.

Topology (names prefixed by HALL_SYNC_NAMESPACE, default "halls"):
- exchange `halls` (topic, durable); routing key "<dest>.agg.<type>" or "<dest>.ctl.<type>";
- queue `halls.<site>` per site of the tree, bound "<site>.#" (quorum on RabbitMQ);
  the county's queue is also bound "*.agg.#": every case message of every site;
- dead letters: exchange `halls.dlx` (fanout) and queue `halls.dead`.
Every process declares all of it at connect (idempotent), so a message for a site whose
node has never run is queued, not dropped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
import time
import uuid
from urllib.parse import urlsplit

from amqp import method_framing
from django.conf import settings
from kombu import Connection, Exchange, Queue, binding
from kombu.transport import filesystem

from sync.config import fanin, site_codes

logger = logging.getLogger(__name__)

# Header set on a message whose body was too big to read (its size in bytes): the consumer
# quarantines it unread.
TOO_BIG = "x-hall-too-big"


def file_limit() -> int:
    """The largest message file read: a body of HALL_SYNC_MAX_BYTES with every character
    JSON-escaped (6 bytes each) and kombu's headers fits; anything larger is refused."""
    return settings.HALL_SYNC_MAX_BYTES * 6 + 65_536


class DurableFilesystemChannel(filesystem.Channel):
    """The filesystem transport, made safe for a consumer killed mid-batch.

    kombu's channel deletes a message file when it is read, so a consumer killed before
    acking loses it. Here a read moves the file to `inflight/<queue>/`; the consumer deletes
    it after its batch commits (`fs_done`), and `fs_recover` puts leftovers back at start.
    Writes go to a temporary name and are renamed, so a reader never sees half a file;
    names sort by nanosecond time, so a queue is read in publish order.
    """

    def get_table(self, exchange):
        # kombu answers "no bindings" when the exchange file cannot be read, and the message
        # silently goes nowhere. Topology is declared at connect, so a missing (or not yet
        # written) table means the broker folder is unreachable: fail the publish instead.
        file = self._exchange_file(exchange)
        try:
            with open(file, "rb") as f:
                filesystem.lock(f, filesystem.LOCK_SH)
                try:
                    raw = f.read()
                finally:
                    filesystem.unlock(f)
        except OSError as exc:
            raise filesystem.ChannelError(f"exchange {exchange!r} unreachable") from exc
        try:
            return _table_rows(raw)
        except (ValueError, TypeError) as exc:  # being rebuilt: the publisher retries
            raise filesystem.ChannelError(f"exchange {exchange!r} table unreadable") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        """Add a binding under an exclusive lock taken before anything is read or cut.

        kombu opens a new table with "wb" (truncating) and only then locks, so processes
        declaring the topology at the same moment interleave their writes and leave a file
        that no longer parses ("Extra data"), stopping every node on that folder.
        """
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot open {file}") from exc
        with os.fdopen(fd, "r+b", buffering=0) as f:
            filesystem.lock(f, filesystem.LOCK_EX)
            try:
                table = _parse_table(f.read(), file)
                if binding in table:
                    return
                table.insert(0, binding)
                f.seek(0)
                f.write(filesystem.str_to_bytes(filesystem.dumps(table)))
                f.truncate()
                os.fsync(f.fileno())
            finally:
                filesystem.unlock(f)

    def _put(self, queue, payload, **kwargs):
        name = f"{time.time_ns():020d}_{uuid.uuid4().hex}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        tmp = os.path.join(self.data_folder_out, "." + name + ".tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(filesystem.str_to_bytes(filesystem.dumps(payload)))
            os.replace(tmp, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"cannot write {final!r}") from exc

    def _get(self, queue):
        suffix = f".{queue}.msg"
        cache = self.__dict__.setdefault("_listing", {})
        names = cache.get(queue)
        if not names:
            names = sorted(n for n in os.listdir(self.data_folder_in) if n.endswith(suffix))
            cache[queue] = names
        inflight = os.path.join(self.data_folder_in, "inflight", queue)
        if not os.path.isdir(inflight):
            # Never create folders through a lost link (makedirs would build the path anew).
            if not os.path.isdir(self.data_folder_in):
                raise filesystem.ChannelError(f"broker folder {self.data_folder_in} unreachable")
            os.makedirs(inflight, exist_ok=True)
        while names:
            name = names.pop(0)
            target = os.path.join(inflight, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), target)
            except OSError:
                continue  # taken by another consumer
            size = os.stat(target).st_size
            if size > file_limit():
                # Not read at all: memory stays flat whatever was dropped in the folder.
                return {
                    "body": "",
                    "headers": {"x-fs-file": target, TOO_BIG: size},
                    "properties": {
                        "delivery_tag": self._next_delivery_tag(),
                        "delivery_info": {"exchange": "", "routing_key": queue},
                        "body_encoding": "utf-8",
                    },
                }
            with open(target, "rb") as f:
                payload = filesystem.loads(filesystem.bytes_to_str(f.read()))
            payload.setdefault("headers", {})["x-fs-file"] = target
            return payload
        raise filesystem.Empty()


def _table_rows(raw: bytes) -> list:
    return [filesystem.exchange_queue_t(*q) for q in filesystem.loads(raw.decode())]


def _parse_table(raw: bytes, file) -> list:
    """The bindings in an exchange table; an empty or damaged one starts afresh (every
    process declares the whole topology at connect, so the bindings come back)."""
    if not raw.strip():
        return []
    try:
        return _table_rows(raw)
    except (ValueError, TypeError):
        logger.warning("exchange table %s was damaged; rebuilding it from the topology", file)
        return []


class DurableFilesystemTransport(filesystem.Transport):
    Channel = DurableFilesystemChannel


def fs_done(message) -> None:
    path = (message.headers or {}).get("x-fs-file")
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def fs_dead(message) -> None:
    """Move a message's file unread to the dead-letter queue (it was too big to read)."""
    path = (message.headers or {}).get("x-fs-file")
    if not path:
        return
    folder, name = settings.HALL_BROKER_FOLDER, os.path.basename(path)
    queue = os.path.basename(os.path.dirname(path))
    dead = name.replace(f".{queue}.msg", f".{names()['dead']}.msg")
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, os.path.join(folder, dead))


def delivery_limit() -> int:
    """Deliveries of one message before the broker dead-letters it: the last guard against
    a body that fails its batch every time (the inbox quarantines what it can tell is bad)."""
    return getattr(settings, "HALL_SYNC_DELIVERY_LIMIT", 20)


def _redelivered(name: str) -> tuple[str, int]:
    """A message file's name with its redelivery count raised by one, and that count.

    "<ns time>_<hex>[-r<n>].<queue>.msg": the count stays in the part before the queue, so
    names still sort by publish time and still end in ".<queue>.msg"."""
    head, _, rest = name.partition(".")
    stem, _, count = head.partition("-r")
    n = int(count) + 1 if count.isdigit() else 1
    return f"{stem}-r{n}.{rest}", n


def redelivery_count(name: str) -> int:
    """How many times the message in file `name` was delivered and not finished."""
    head = name.partition(".")[0]
    count = head.partition("-r")[2]
    return int(count) if count.isdigit() else 0


def deliveries_before(message) -> int:
    """How many times the broker delivered `message` before, unfinished: RabbitMQ's quorum
    queues say it in x-delivery-count; the filesystem transport in the file's name."""
    headers = message.headers or {}
    count = headers.get("x-delivery-count")
    if count is not None:
        try:
            return int(count)
        except (TypeError, ValueError):
            return 0
    path = headers.get("x-fs-file")
    return redelivery_count(os.path.basename(path)) if path else 0


def fs_recover(queue: str) -> int:
    """Put back messages a killed consumer had read but not finished; one read that many
    times (delivery_limit) goes to the dead-letter queue instead, as on RabbitMQ."""
    folder = settings.HALL_BROKER_FOLDER
    inflight = os.path.join(folder, "inflight", queue)
    if not os.path.isdir(inflight):
        return 0
    files = sorted(os.listdir(inflight))
    dead = names()["dead"]
    for name in files:
        renamed, n = _redelivered(name)
        if n >= delivery_limit():
            logger.warning("message %s delivered %d times: dead-lettered", name, n)
            renamed = renamed.replace(f".{queue}.msg", f".{dead}.msg")
        os.replace(os.path.join(inflight, name), os.path.join(folder, renamed))
    return len(files)


def broker_url() -> str:
    return settings.HALL_BROKER_URL


def connect(url: str | None = None) -> Connection:
    url = url or broker_url()
    if url.startswith("filesystem"):
        folder = settings.HALL_BROKER_FOLDER
        if not os.path.lexists(folder):  # a dangling link is a lost link: leave it alone
            os.makedirs(folder, exist_ok=True)
        return Connection(
            url,
            transport=DurableFilesystemTransport,
            transport_options={
                "data_folder_in": folder,
                "data_folder_out": folder,
                "control_folder": os.path.join(folder, "control"),
                "polling_interval": 0.05,
            },
        )
    return Connection(url, heartbeat=0, connect_timeout=3, ssl=tls_options(url))


def tls_options(url: str):
    """amqps://: verify the broker against HALL_BROKER_CA (the county's CA; the system's
    CAs when empty), and present HALL_BROKER_CERT / HALL_BROKER_KEY when set (RabbitMQ may
    require client certificates). False for plain amqp://."""
    if not url.startswith("amqps"):
        return False

    options = {"cert_reqs": ssl.CERT_REQUIRED, "server_hostname": urlsplit(url).hostname}
    if getattr(settings, "HALL_BROKER_CA", ""):
        options["ca_certs"] = settings.HALL_BROKER_CA
    if getattr(settings, "HALL_BROKER_CERT", ""):
        options["certfile"] = settings.HALL_BROKER_CERT
        options["keyfile"] = settings.HALL_BROKER_KEY
    return options


def amqp_read_ahead(conn: Connection, size: int = 16384) -> None:
    """Let py-amqp read the socket in chunks. It asks `recv` for exactly the bytes of the
    frame part it wants (about nine syscalls per message); its `_read` keeps whatever comes
    beyond that in its buffer, so asking for more is safe and saves most of them."""
    transport = getattr(conn.connection, "transport", None)
    sock = getattr(transport, "sock", None)
    if sock is None or not hasattr(transport, "_quick_recv"):
        return  # another py-amqp layout (or SSL): leave it alone
    recv = sock.recv
    transport._quick_recv = lambda n: recv(max(n, size))


def amqp_fixed_timeout(conn: Connection, seconds: float) -> None:
    """Give the socket the one read timeout the caller always passes to drain_events.

    py-amqp sets the socket's timeout before and restores it after every frame it reads
    (four fcntl calls per frame, a tenth of a consumer's time); when the timeout asked for
    is the one the socket already has, it leaves it alone. Writes then wait at most that
    long for room in the send buffer; a consumer only writes acks, and a failed write
    drops the connection, which redelivers (crash-only)."""
    transport = getattr(conn.connection, "transport", None)
    sock = getattr(transport, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


_capped = False


def amqp_body_cap() -> None:
    """Make py-amqp drop the body frames of a message whose header frame announces more
    than HALL_SYNC_MAX_BYTES: the frames are read off the socket and counted, never kept,
    and the message arrives with an empty body and the TOO_BIG header (its size). Without
    it, a burst of large bodies is held whole in memory before anything can look at them."""
    global _capped
    if _capped:
        return

    base = method_framing.Message

    class CappedMessage(base):
        def inbound_body(self, buf):
            limit = settings.HALL_SYNC_MAX_BYTES
            if self.body_size <= limit:
                return super().inbound_body(buf)
            self.body_received += len(buf)
            if self.body_received >= self.body_size:
                self._pending_chunks[:] = []
                self.body = b""
                headers = self.properties.setdefault("application_headers", None) or {}
                self.properties["application_headers"] = {**headers, TOO_BIG: self.body_size}
                self.ready = True

    method_framing.Message = CappedMessage
    _capped = True


def names() -> dict[str, str]:
    ns = settings.HALL_SYNC_NAMESPACE
    return {"exchange": ns, "dlx": f"{ns}.dlx", "dead": f"{ns}.dead"}


def exchange() -> Exchange:
    return Exchange(names()["exchange"], type="topic", durable=True)


def site_queue(code: str, *, amqp: bool, declare: bool | None = None) -> Queue:
    n = names()
    args = {"x-dead-letter-exchange": n["dlx"]}
    if amqp:
        # The delivery limit dead-letters a body that keeps failing (see delivery_limit).
        args |= {"x-queue-type": "quorum", "x-delivery-limit": delivery_limit()}
    bindings_keys = [f"{code}.#"]
    if code == fanin():
        # every case message: "<dest>.<origin>.agg.<type>", and the previous release's
        # "<dest>.agg.<type>"
        bindings_keys += ["*.*.agg.#", "*.agg.#"]

    return Queue(
        f"{n['exchange']}.{code}",
        bindings=[binding(exchange(), routing_key=key) for key in bindings_keys],
        durable=True,
        queue_arguments=args,
        no_declare=not (declares() if declare is None else declare),
    )


def dead_queue(*, amqp: bool) -> Queue:
    n = names()
    dlx = Exchange(n["dlx"], type="fanout", durable=True)
    args = {"x-queue-type": "quorum"} if amqp else {}
    return Queue(n["dead"], exchange=dlx, routing_key="#", durable=True, queue_arguments=args)


def declares() -> bool:
    """Whether this hall declares the topology. With per-hall broker accounts (ADR 0012)
    a hall may not configure anything: the county's `hall broker-provision` declares it
    and HALL_SYNC_DECLARE=false makes the halls only use it."""
    return getattr(settings, "HALL_SYNC_DECLARE", True)


def topology_declare(conn: Connection, *, force: bool = False) -> None:
    """Declare exchange, every site queue and the dead-letter pair (idempotent)."""
    if not (force or declares()):
        return
    amqp = conn.transport.driver_type == "amqp"
    channel = conn.default_channel
    exchange()(channel).declare()
    dead_queue(amqp=amqp)(channel).declare()
    for code in site_codes():
        site_queue(code, amqp=amqp, declare=True)(channel).declare()
