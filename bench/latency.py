"""Latency through the local cloud, each beside a bare baseline on the same server stack in
the same run:

- HTTP: `GET /me` through the local cloud's HTTP API (JWT check, the function, the
  principal's reads in moto) beside a bare ASGI app on uvicorn;
- WebSocket fan-out: a contact sends a message over its socket; the time until each of N
  live receiver sockets (the owner's) gets the pushed message, beside a bare `websockets`
  server broadcasting the same payload to N sockets.

The local cloud runs every function invocation one at a time in one process, and each push
is a management API request to it: the figures show the local cloud's overhead, not what
API Gateway and Lambda would do.

    python -m bench.latency [--requests N] [--messages N] [--receivers N ...]
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.local_session import DemoSession
from bench.report import percentile, table, write_section
from localcloud.process import LocalCloudProcess

RECEIVERS = (10, 100, 500)
_ids = count()


@contextmanager
def baseline(kind: str) -> Iterator[int]:
    """A baseline server (bench/baselines.py) in a child process; yields its port."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.baselines", kind], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        yield int(child.stdout.readline())
    finally:
        child.terminate()
        child.wait(timeout=30)


def http_latencies(client: httpx.Client, path: str, requests: int) -> list[float]:
    client.get(path).raise_for_status()  # warm
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


type Arrived = Callable[[str | bytes], bool]


async def _receive_one(socket: ClientConnection, arrived: Arrived) -> float:
    while not arrived(await socket.recv()):
        pass
    return time.perf_counter()


async def fan_out(
    receivers: list[ClientConnection], sender: ClientConnection, frame: str, arrived: Arrived
) -> list[float]:
    """Milliseconds from sending `frame` until each receiver has what `arrived` recognises."""
    waits = [asyncio.create_task(_receive_one(socket, arrived)) for socket in receivers]
    started = time.perf_counter()
    await sender.send(frame)
    ends = await asyncio.wait_for(asyncio.gather(*waits), timeout=300)
    return [(end - started) * 1000 for end in ends]


def _message_frame(thread_id: str, pushed: list[str]) -> tuple[str, Arrived]:
    """A send frame, and what recognises its push (each push is appended to `pushed`)."""
    client_id = f"latency-{next(_ids):08d}"
    frame = {"action": "send", "thread_id": thread_id, "client_id": client_id, "body": "<p>Hi</p>"}

    def arrived(raw: str | bytes) -> bool:
        found = json.loads(raw)
        if found.get("type") == "message" and found["message"]["client_id"] == client_id:
            pushed.append(str(raw))
            return True
        return False

    return json.dumps(frame), arrived


async def firmchat_fan_out(
    owner: DemoSession,
    client: DemoSession,
    thread_id: str,
    receivers: int,
    messages: int,
    *,
    pushed: list[str],
) -> list[float]:
    with owner.http() as owner_http, client.http() as client_http:
        owner_urls = [owner.socket_url(owner_http) for _ in range(receivers)]
        sender_url = client.socket_url(client_http)
    sockets = [await connect(url, open_timeout=60, max_size=2**20) for url in owner_urls]
    latencies: list[float] = []
    try:
        async with connect(sender_url, open_timeout=60) as sender:
            for _ in range(messages):
                frame, arrived = _message_frame(thread_id, pushed)
                latencies += await fan_out(sockets, sender, frame, arrived)
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets))
    return latencies


async def bare_fan_out(port: int, receivers: int, messages: int, payload: str) -> list[float]:
    url = f"ws://127.0.0.1:{port}"
    sockets = [await connect(url, max_size=2**20) for _ in range(receivers)]
    latencies: list[float] = []
    try:
        async with connect(url) as sender:
            for number in range(messages):
                marked = payload.replace("latency-", f"bare-{number:08d}-", 1)
                latencies += await fan_out(sockets, sender, marked, marked.__eq__)
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets))
    return latencies


def _row(name: str, latencies: list[float]) -> list[object]:
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    return [name, len(latencies), f"{p50:.1f}", f"{p99:.1f}"]


def measure(requests: int, messages: int, receivers: tuple[int, ...]) -> str:
    rows: list[list[object]] = []
    with LocalCloudProcess() as cloud, baseline("http") as http_port, baseline("ws") as ws_port:
        assert cloud.endpoints is not None
        owner = DemoSession.sign_in(cloud.endpoints, "owner")
        client = DemoSession.sign_in(cloud.endpoints, "contact of Lovelace")
        with owner.http() as api, httpx.Client(base_url=f"http://127.0.0.1:{http_port}") as bare:
            rows.append(_row("HTTP GET /me, local cloud", http_latencies(api, "/me", requests)))
            rows.append(
                _row("HTTP GET /, bare ASGI on uvicorn", http_latencies(bare, "/", requests))
            )
            account = next(
                row["account_id"]
                for row in api.get("/accounts").json()["accounts"]
                if row["name"] == "Ada Lovelace"
            )
            created = api.post(
                "/threads",
                json={
                    "account_id": account,
                    "subject": "Latency",
                    "message": {"client_id": "latency-thread", "body": "<p>Start</p>"},
                },
            )
            created.raise_for_status()
            thread_id = created.json()["thread_id"]
        pushed: list[str] = []  # the pushed frames: the bare server broadcasts the same
        for count_ in receivers:
            local = asyncio.run(
                firmchat_fan_out(owner, client, thread_id, count_, messages, pushed=pushed)
            )
            rows.append(_row(f"WebSocket fan-out to {count_}, local cloud", local))
            bare_run = asyncio.run(bare_fan_out(ws_port, count_, messages, pushed[0]))
            rows.append(_row(f"WebSocket fan-out to {count_}, bare websockets", bare_run))
    return table(["what", "samples", "p50 ms", "p99 ms"], rows)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--receivers", type=int, nargs="+", default=list(RECEIVERS))
    arguments = parser.parse_args(argv)
    body = measure(arguments.requests, arguments.messages, tuple(arguments.receivers))
    description = (__doc__ or "").split("\n\n    python")[0]
    write_section(
        "Latency through the local cloud",
        "python -m bench.latency",
        f"""{description}

HTTP requests are sent one after another on one kept-alive connection. uvicorn writes a
response's head and body apart without TCP_NODELAY, so on this loopback both HTTP rows
carry a ~40 ms delayed-ACK wait; the difference between them is the local cloud's work.
For fan-out, each sample is one receiver's wait for one message ({arguments.messages}
messages for each size), from the send to the arrival.

{body}""",
    )
    return body


if __name__ == "__main__":
    print(main())
