"""Threads in real time through the local cloud: the owner, a member assigned to account A
(Lovelace), a client user of A and one of account B (Babbage), each on a live socket.
Messages posted over HTTP and sent over the socket reach each person exactly as the access
policy allows (the thread's audience), in order, once; nobody else gets anything."""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from websockets.sync.client import ClientConnection, connect

from firmchat.domain.keys import connection_sort_key, connections_partition
from localcloud.cloud import Endpoints

WAIT_SECONDS = 30
QUIET_SECONDS = 2
"""How long a socket is listened to for a frame that must not come."""


@dataclass
class Person:
    token: str
    socket: ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)

    def _next(self, timeout: float) -> dict[str, Any]:
        """The next frame of the request path; inbox entries come from the stream on their
        own time (tests/e2e/test_notifications.py) and are passed over."""
        while True:
            frame: dict[str, Any] = json.loads(self.socket.recv(timeout=timeout))
            if frame.get("type") != "inbox_entry":
                return frame

    def receive_until(self, wanted: Callable[[dict[str, Any]], bool]) -> None:
        """Reads frames (each within a bounded wait) until one is `wanted`."""
        while not any(wanted(frame) for frame in self.frames):
            self.frames.append(self._next(WAIT_SECONDS))

    def receive(self, count: int) -> list[tuple[str, str | None]]:
        while len(self.frames) < count:
            self.frames.append(self._next(WAIT_SECONDS))
        return [_summary(frame) for frame in self.frames]

    def no_frame_arrived(self) -> bool:
        try:
            self.frames.append(self._next(QUIET_SECONDS))
        except TimeoutError:
            return True
        return False


def _summary(frame: dict[str, Any]) -> tuple[str, str | None]:
    """A frame's type and the client id of the message it carries, or for a thread's own
    frame the thread's subject (the client id of its first message here)."""
    if isinstance(frame.get("message"), dict):
        return frame["type"], frame["message"]["client_id"]
    if isinstance(frame.get("thread"), dict):
        return frame["type"], frame["thread"]["subject"]
    return frame["type"], None


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _account_id(http: httpx.Client, owner: str, name: str) -> str:
    accounts = _ok(http.get("/accounts", headers=_auth(owner)))["accounts"]
    return str(next(a["account_id"] for a in accounts if a["name"] == name))


def _restore_portal_access(http: httpx.Client, owner: str, account_id: str) -> None:
    """Other e2e tests turn off these contacts' access; the owner turns it back on."""
    contacts = _ok(http.get(f"/accounts/{account_id}/contacts", headers=_auth(owner)))
    for contact in contacts:
        path = f"/accounts/{account_id}/contacts/{contact['contact_id']}"
        _ok(http.patch(path, headers=_auth(owner), json={"portal_access": True}))


def _thread(http: httpx.Client, owner: str, account_id: str, client_id: str) -> str:
    body = {
        "account_id": account_id,
        "subject": client_id,
        "message": {"client_id": client_id, "body": "<p>Opened</p>"},
    }
    return str(_ok(http.post("/threads", headers=_auth(owner), json=body), 201)["thread_id"])


def _open(endpoints: Endpoints, http: httpx.Client, token: str) -> ClientConnection:
    ticket = _ok(http.post("/ws-tickets", headers=_auth(token)), 201)["ticket"]
    return connect(f"{endpoints.websocket}?ticket={ticket}", open_timeout=WAIT_SECONDS)


@pytest.fixture
def people(endpoints, http, id_token) -> Iterator[dict[str, Person]]:
    tokens = {
        "owner": id_token("owner"),
        "member": id_token("member assigned to Lovelace"),
        "client_a": id_token("contact of Lovelace"),
        "client_b": id_token("contact of Babbage"),
    }
    for account in ("Ada Lovelace", "Charles & Georgiana Babbage"):
        _restore_portal_access(http, tokens["owner"], _account_id(http, tokens["owner"], account))
    with ExitStack() as open_sockets:
        yield {
            name: Person(token, open_sockets.enter_context(_open(endpoints, http, token)))
            for name, token in tokens.items()
        }


def _post_http(http: httpx.Client, person: Person, thread_id: str, client_id: str) -> None:
    body = {"client_id": client_id, "body": f"<p>{client_id}</p>"}
    _ok(http.post(f"/threads/{thread_id}/messages", headers=_auth(person.token), json=body), 201)


def _send_ws(person: Person, thread_id: str, client_id: str) -> None:
    """Sends on the socket and waits for the acknowledgement, so the next step comes after."""
    frame = {"action": "send", "thread_id": thread_id, "client_id": client_id, "body": "<p>ws</p>"}
    person.socket.send(json.dumps(frame))
    person.receive_until(lambda f: f["type"] == "sent" and f["client_id"] == client_id)


def test_each_person_receives_exactly_the_threads_they_may_see_in_order_once(
    people, http, id_token, endpoints
):
    owner = people["owner"].token
    thread_a = _thread(http, owner, _account_id(http, owner, "Ada Lovelace"), "live-open-a")
    thread_b = _thread(
        http, owner, _account_id(http, owner, "Charles & Georgiana Babbage"), "live-open-b"
    )

    _post_http(http, people["owner"], thread_a, "live-http-1")
    _send_ws(people["client_a"], thread_a, "live-ws-2")
    _send_ws(people["client_b"], thread_b, "live-ws-3")
    _post_http(http, people["member"], thread_a, "live-http-4")
    people["member"].socket.send(json.dumps({"action": "typing", "thread_id": thread_a}))
    people["member"].receive_until(lambda f: f["type"] == "typing_sent")

    # Creating a thread is pushed too: the first frame of whoever may see it.
    a, b = [("thread_created", "live-open-a")], [("thread_created", "live-open-b")]
    expected: dict[str, list[tuple[str, str | None]]] = {
        "owner": [
            *a,
            *b,
            ("message", "live-http-1"),
            ("message", "live-ws-2"),
            ("message", "live-ws-3"),
            ("message", "live-http-4"),
            ("typing", None),
        ],
        "member": [
            *a,
            ("message", "live-http-1"),
            ("message", "live-ws-2"),
            ("message", "live-http-4"),
            ("typing_sent", None),
        ],
        "client_a": [
            *a,
            ("message", "live-http-1"),
            ("message", "live-ws-2"),
            ("sent", "live-ws-2"),
            ("message", "live-http-4"),
            ("typing", None),
        ],
        "client_b": [*b, ("message", "live-ws-3"), ("sent", "live-ws-3")],
    }
    for name, frames in expected.items():
        assert people[name].receive(len(frames)) == frames, name
    for name, person in people.items():
        assert person.no_frame_arrived(), f"{name} got {person.frames[-1]}"


def test_a_closed_socket_is_forgotten_and_the_others_still_receive(
    people, http, aws_client, endpoints, firm_id
):
    owner = people["owner"].token
    thread_b = _thread(
        http, owner, _account_id(http, owner, "Charles & Georgiana Babbage"), "live-open-c"
    )
    for name in ("owner", "client_b"):
        people[name].receive_until(lambda f: _summary(f) == ("thread_created", "live-open-c"))
    people["client_b"].socket.close()

    _post_http(http, people["owner"], thread_b, "live-http-5")

    people["owner"].receive_until(lambda f: _summary(f) == ("message", "live-http-5"))
    assert _forgotten(aws_client, endpoints, firm_id, people["client_b"].token)
    for name in ("owner", "member", "client_a"):
        assert people[name].no_frame_arrived(), name


def _recorded_connection_ids(
    aws_client: Any, endpoints: Endpoints, firm_id: str, subject: str
) -> set[str]:
    items = aws_client("dynamodb").query(
        TableName=endpoints.resources["ChatTable"],
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": connections_partition(firm_id)}},
    )["Items"]
    return {item["connection_id"]["S"] for item in items if item["subject"]["S"] == subject}


def _subject(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def _forgotten(aws_client: Any, endpoints: Endpoints, firm_id: str, token: str) -> bool:
    """Whether no connection of the token's subject is recorded, within a bounded wait."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if not _recorded_connection_ids(aws_client, endpoints, firm_id, _subject(token)):
            return True
        time.sleep(0.1)
    return False


def test_a_connection_the_gateway_no_longer_knows_answers_410_and_is_forgotten(
    people, http, aws_client, endpoints, firm_id
):
    """A socket can end without `$disconnect` reaching the function (API Gateway delivers
    it on a best-effort basis): its record stays until a push meets 410 GoneException."""
    owner = people["owner"].token
    thread_b = _thread(
        http, owner, _account_id(http, owner, "Charles & Georgiana Babbage"), "live-open-d"
    )
    subject = _subject(people["client_b"].token)
    (live,) = _recorded_connection_ids(aws_client, endpoints, firm_id, subject)
    ghost = "GhostConnAAAA="
    now = int(time.time())
    aws_client("dynamodb").put_item(
        TableName=endpoints.resources["ChatTable"],
        Item={
            "PK": {"S": connections_partition(firm_id)},
            "SK": {"S": connection_sort_key(subject, ghost)},
            "subject": {"S": subject},
            "connection_id": {"S": ghost},
            "connected_at": {"N": str(now)},
            "expires_at": {"N": str(now + 3600)},
        },
    )

    _post_http(http, people["owner"], thread_b, "live-http-6")

    people["client_b"].receive_until(lambda f: _summary(f) == ("message", "live-http-6"))
    # The push met 410 for the ghost inside the request, which forgot it; the live one stays.
    assert _recorded_connection_ids(aws_client, endpoints, firm_id, subject) == {live}
