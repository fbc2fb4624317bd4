"""A soak of the local cloud: one firm's busy season in one sitting. Firm users are invited
and accept through the HTTP API until `--people` are signed in, each with an open socket;
`--threads` threads are opened on one account, then the owner posts `--posts` messages
into them in turn over HTTP, each pushed to every socket. After every `--every` posts it
records the mean and p99 time per post of that block and the local cloud's resident
memory. At the end, with posts still in flight, the local cloud gets Ctrl+C's signal and
the seconds until it has exited are recorded.

    python -m bench.soak [--posts N] [--every N] [--threads N] [--people N] [--label TEXT]

Each run rewrites its own row group under the given label (default: "after"), so a
baseline measured on an older local cloud stays beside the new figures.
"""

import argparse
import asyncio
import re
import statistics
import threading
import time
from contextlib import suppress
from itertools import count

import httpx
import psutil
from websockets.asyncio.client import ClientConnection, connect

from bench.local_session import DemoSession
from bench.report import PERFORMANCE_DOC, percentile, table, write_section
from firmchat.adapters.identity import login_username
from localcloud.cloud import Endpoints
from localcloud.demo import DEMO_PASSWORD
from localcloud.process import LocalCloudProcess

TITLE = "Soak: the local cloud at a firm's volume"
_LINK = re.compile(r"/invitation#(\S+)")
_RESULTS = re.compile(
    r"^<!-- soak:(?P<label>[^ ]+) -->\n(?P<body>.*?)\n<!-- /soak -->", re.M | re.S
)


def _invite(endpoints: Endpoints, owner: httpx.Client, mail: httpx.Client, number: int) -> str:
    """A firm user who sees every account, invited and accepted from the emailed link."""
    email = f"soak.{number:03d}@demo-firm.example"
    owner.post(
        "/users",
        json={"email": email, "name": f"Soak Person {number}", "rights": ["all_accounts"]},
    ).raise_for_status()
    sent = next(m for m in reversed(mail.get(endpoints.mail_json).json()) if email in m["to"])
    link = _LINK.search(sent["text"] or "")
    assert link is not None, f"no invitation link mailed to {email}"
    owner.post(
        "/invitations/accept", json={"token": link.group(1), "password": DEMO_PASSWORD}
    ).raise_for_status()
    return email


def _people(endpoints: Endpoints, owner: DemoSession, people: int) -> list[DemoSession]:
    sessions = [owner]
    with owner.http() as api, httpx.Client(timeout=60) as mail:
        for number in range(people - 1):
            email = _invite(endpoints, api, mail, number)
            username = login_username(str(endpoints.demo_firm_id), email)
            sessions.append(DemoSession.sign_in_with(endpoints, username, DEMO_PASSWORD))
    return sessions


async def _drain(socket: ClientConnection) -> None:
    with suppress(Exception):
        async for _ in socket:
            pass


class _Sockets:
    """One open socket per person, read continuously on a thread of its own."""

    def __init__(self, urls: list[str]) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._sockets: list[ClientConnection] = asyncio.run_coroutine_threadsafe(
            self._open(urls), self._loop
        ).result()

    async def _open(self, urls: list[str]) -> list[ClientConnection]:
        sockets = [await connect(url, open_timeout=60, max_size=2**20) for url in urls]
        for socket in sockets:
            self._loop.create_task(_drain(socket))
        return sockets

    def close(self) -> None:
        async def close_all() -> None:
            await asyncio.gather(*(s.close() for s in self._sockets), return_exceptions=True)

        with suppress(Exception):
            asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _threads(api: httpx.Client, threads: int) -> list[str]:
    account = next(
        row["account_id"]
        for row in api.get("/accounts").json()["accounts"]
        if row["name"] == "Ada Lovelace"
    )
    ids = []
    for number in range(threads):
        created = api.post(
            "/threads",
            json={
                "account_id": account,
                "subject": f"Soak {number}",
                "message": {"client_id": f"soak-thread-{number}", "body": "<p>Start</p>"},
            },
        )
        created.raise_for_status()
        ids.append(created.json()["thread_id"])
    return ids


def _post(api: httpx.Client, thread_id: str, number: int) -> None:
    api.post(
        f"/threads/{thread_id}/messages",
        json={"client_id": f"soak-{number:06d}", "body": f"<p>Message {number}</p>"},
    ).raise_for_status()


def _stop_under_load(cloud: LocalCloudProcess, api: httpx.Client, thread_ids: list[str]) -> float:
    """Seconds from Ctrl+C's signal to the exit, sent while posts are still arriving."""
    numbers = count(10**6)
    stop = threading.Event()

    def keep_posting() -> None:
        while not stop.is_set():
            with suppress(httpx.HTTPError):
                number = next(numbers)
                _post(api, thread_ids[number % len(thread_ids)], number)

    poster = threading.Thread(target=keep_posting, daemon=True)
    poster.start()
    time.sleep(2)
    started = time.perf_counter()
    cloud.stop()
    seconds = time.perf_counter() - started
    stop.set()
    poster.join(30)
    return seconds


def measure(posts: int, every: int, threads: int, people: int) -> tuple[list[list[object]], float]:
    rows: list[list[object]] = []
    cloud = LocalCloudProcess()
    endpoints = cloud.start()
    try:
        process = psutil.Process(cloud.pid)
        owner = DemoSession.sign_in(endpoints, "owner")
        sessions = _people(endpoints, owner, people)
        urls = []
        for session in sessions:
            with session.http() as http:
                urls.append(session.socket_url(http))
        sockets = _Sockets(urls)
        try:
            with owner.http() as api:
                thread_ids = _threads(api, threads)
                rows.append(["0 (ready)", "", "", f"{process.memory_info().rss / 2**20:.0f}"])
                block: list[float] = []
                for number in range(posts):
                    started = time.perf_counter()
                    _post(api, thread_ids[number % threads], number)
                    block.append((time.perf_counter() - started) * 1000)
                    if len(block) == every:
                        rss = process.memory_info().rss / 2**20
                        mean, p99 = statistics.mean(block), percentile(block, 0.99)
                        rows.append([number + 1, f"{mean:.0f}", f"{p99:.0f}", f"{rss:.0f}"])
                        print(rows[-1], flush=True)
                        block = []
                stop_seconds = _stop_under_load(cloud, api, thread_ids)
        finally:
            sockets.close()
    finally:
        cloud.stop()
    return rows, stop_seconds


def _results(label: str, body: str) -> str:
    """Every labelled run kept in the section so far, with this one replaced or added."""
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else ""
    runs = {found["label"]: found["body"] for found in _RESULTS.finditer(text)}
    runs[label] = body
    return "\n\n".join(f"<!-- soak:{name} -->\n{runs[name]}\n<!-- /soak -->" for name in runs)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=1_000)
    parser.add_argument("--threads", type=int, default=100)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--label", default="after")
    parser.add_argument("--note", default="", help="what this run measured, in a sentence")
    arguments = parser.parse_args(argv)
    rows, stop_seconds = measure(
        arguments.posts, arguments.every, arguments.threads, arguments.people
    )
    body = table(["posts so far", "mean ms per post", "p99 ms", "RSS MiB"], rows)
    run = (
        f"**{arguments.label}**: {arguments.posts} posts into {arguments.threads} threads of "
        f"one account, {arguments.people} people online (one socket each). {arguments.note}\n\n"
        f"{body}\n\nCtrl+C with posts in flight: stopped in {stop_seconds:.2f} s."
    )
    description = (__doc__ or "").split("\n\n    python")[0]
    write_section(
        TITLE, "python -m bench.soak", f"{description}\n\n{_results(arguments.label, run)}"
    )
    return f"{body}\nCtrl+C with posts in flight: stopped in {stop_seconds:.2f} s."


if __name__ == "__main__":
    print(main())
