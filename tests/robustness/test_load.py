"""A load run through the local cloud: many sockets of the demo firm's people post at once
into two shared threads of one account. Every message must be stored once and reach each
socket allowed to see the thread exactly once, in the thread's order, and no other socket.

The local cloud runs one function invocation at a time, so this checks the product's
bookkeeping under concurrent clients, not AWS's concurrency."""

import asyncio
import json
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from bench.local_session import DemoSession

# (demo login, sockets it opens, may see the Lovelace account's threads)
PEOPLE = [
    ("owner", 3, True),
    ("admin", 2, True),
    ("member with the all-accounts right", 2, True),
    ("member assigned to Lovelace", 2, True),
    ("contact of Lovelace", 3, True),
    ("contact of Babbage", 2, False),
]
MESSAGES_PER_SENDER = 10
WAIT_SECONDS = 180


@dataclass
class Socket:
    who: str
    allowed: bool
    connection: ClientConnection
    pushed: list[dict[str, Any]] = field(default_factory=list)  # the message frames, in order
    sent: list[str] = field(default_factory=list)  # client ids the server acknowledged

    async def listen(self) -> None:
        async for raw in self.connection:
            frame = json.loads(raw)
            if frame.get("type") == "message":
                self.pushed.append(frame["message"])
            elif frame.get("type") == "sent":
                self.sent.append(frame["client_id"])


async def _open(local_cloud, sessions: dict[str, DemoSession]) -> list[Socket]:
    sockets = []
    for who, count, allowed in PEOPLE:
        session = sessions[who]
        with session.http() as http:
            urls = [session.socket_url(http) for _ in range(count)]
        for url in urls:
            sockets.append(Socket(who, allowed, await connect(url, open_timeout=60)))
    return sockets


async def _run(local_cloud, sessions, thread_ids: list[str]) -> tuple[list[Socket], list[str]]:
    sockets = await _open(local_cloud, sessions)
    listeners = [asyncio.create_task(socket.listen()) for socket in sockets]
    senders = [socket for socket in sockets if socket.allowed]
    planned = [
        [
            (f"load-{n}-{m}", thread_ids[(n + m) % len(thread_ids)])
            for m in range(MESSAGES_PER_SENDER)
        ]
        for n in range(len(senders))
    ]

    async def send_all(socket: Socket, messages: list[tuple[str, str]]) -> None:
        for client_id, thread_id in messages:
            frame = {"action": "send", "thread_id": thread_id, "client_id": client_id}
            await socket.connection.send(json.dumps({**frame, "body": f"<p>{client_id}</p>"}))

    await asyncio.gather(*(send_all(s, m) for s, m in zip(senders, planned, strict=True)))
    expected = sum(len(messages) for messages in planned)

    async def settled() -> None:
        while any(s.allowed and len(s.pushed) < expected for s in sockets):
            await asyncio.sleep(0.2)

    with suppress(TimeoutError):  # what is missing then is counted as lost below
        await asyncio.wait_for(settled(), WAIT_SECONDS)
    await asyncio.sleep(1)  # anything arriving late, or where it must not, shows up now
    for socket in sockets:
        await socket.connection.close()
    await asyncio.gather(*listeners, return_exceptions=True)
    return sockets, [client_id for messages in planned for client_id, _ in messages]


def _stored(sessions, thread_ids: list[str]) -> list[str]:
    client_ids = []
    with sessions["owner"].http() as http:
        for thread_id in thread_ids:
            cursor = None
            while True:
                params = {"size": 250, **({"cursor": cursor} if cursor else {})}
                page = http.get(f"/threads/{thread_id}/messages", params=params).json()
                client_ids += [message["client_id"] for message in page["messages"]]
                cursor = page.get("cursor")
                if not cursor:
                    break
    return client_ids


@pytest.fixture(scope="module")
def load_sessions(local_cloud) -> dict[str, DemoSession]:
    return {who: DemoSession.sign_in(local_cloud, who) for who, _, _ in PEOPLE}


@pytest.mark.slow
def test_every_message_is_stored_once_and_delivered_once_in_order(
    local_cloud, load_sessions, tally
):
    with load_sessions["owner"].http() as http:
        account = next(
            row["account_id"]
            for row in http.get("/accounts").json()["accounts"]
            if row["name"] == "Ada Lovelace"
        )
        thread_ids = []
        for subject in ("Payroll", "Year-end"):
            new = {"client_id": f"load-{subject}", "body": f"<p>{subject}</p>"}
            answer = http.post(
                "/threads", json={"account_id": account, "subject": subject, "message": new}
            )
            assert answer.status_code in (200, 201), answer.text
            thread_ids.append(answer.json()["thread_id"])

    sockets, sent = asyncio.run(_run(local_cloud, load_sessions, thread_ids))

    stored = [client_id for client_id in _stored(load_sessions, thread_ids) if client_id in sent]
    problems: dict[str, int] = defaultdict(int)
    for socket in sockets:
        got = [message["client_id"] for message in socket.pushed]
        if not socket.allowed:
            problems["delivered where not allowed"] += len(got)
            continue
        problems["lost"] += len(set(sent) - set(got))
        problems["duplicated"] += len(got) - len(set(got))
        for thread_id in thread_ids:
            seqs = [m["seq"] for m in socket.pushed if m["thread_id"] == thread_id]
            problems["out of order"] += sum(1 for a, b in pairwise(seqs) if a >= b)
    figures = {
        "sockets": len(sockets),
        "messages sent": len(sent),
        "acknowledged": sum(len(socket.sent) for socket in sockets),
        "stored": len(stored),
        "stored twice": len(stored) - len(set(stored)),
        "deliveries": sum(len(socket.pushed) for socket in sockets),
        **problems,
    }
    for what, number in figures.items():
        tally.add("load", what, number)
    assert sorted(stored) == sorted(sent)
    assert dict(problems) == {
        "lost": 0,
        "duplicated": 0,
        "out of order": 0,
        "delivered where not allowed": 0,
    }
