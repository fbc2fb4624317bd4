"""The WebSocket actions send, mark_read and typing, through the WebSocket function as API
Gateway calls it: the same message service as the HTTP API, a reply frame to the sender,
pushes to the thread's audience only, and an error frame (nothing written) for bad input."""

from dataclasses import dataclass
from typing import Any

import pytest

from firmchat.domain.caller import Caller
from firmchat.domain.principal import Role
from firmchat.domain.richtext import MAX_MESSAGE_BYTES
from firmchat.root import Root
from localcloud.lambdas import LocalFunction
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn, ws_event
from tests.support.sockets import pushed_frames

FIRM, OTHER_FIRM = "firm-1", "firm-2"
OWNER = SignIn(FIRM, "sub-owner")
MEMBER = SignIn(FIRM, "sub-member")
CLIENT = SignIn(FIRM, "sub-client")
OTHER_CLIENT = SignIn(FIRM, "sub-other-client")
STRANGER = SignIn(OTHER_FIRM, "sub-stranger")
SOCKETS = {OWNER: "conn-owner", MEMBER: "conn-member", CLIENT: "conn-client"}
OUTSIDERS = {OTHER_CLIENT: "conn-other-client", STRANGER: "conn-stranger"}


@dataclass(frozen=True)
class Chat:
    """The seeded world: two firms, a thread of account 1 (active) and one archived, and a
    thread of the other firm; every person has one open socket."""

    api: HttpApi
    ws: LocalFunction
    thread_id: str
    archived_id: str
    other_firm_thread_id: str

    def frame(self, sign_in: SignIn, body: dict[str, Any]) -> dict[str, Any]:
        """Sends one frame on the person's socket; returns the one frame answered to them."""
        connection_id = {**SOCKETS, **OUTSIDERS}[sign_in]
        before = len(pushed_frames(connection_id))
        self.ws.invoke(ws_event(connection_id, sign_in, body))
        *_, reply = pushed_frames(connection_id)[before:]
        return reply

    def messages(self, sign_in: SignIn, thread_id: str) -> list[dict[str, Any]]:
        answer = self.api.call("GET", f"/threads/{thread_id}/messages", sign_in)
        assert answer.status == 200
        return list(answer.body["messages"])


def _create(api: HttpApi, sign_in: SignIn, account_id: str, client_id: str) -> str:
    answer = api.call(
        "POST",
        "/threads",
        sign_in,
        {
            "account_id": account_id,
            "subject": "Receipts",
            "message": {"client_id": client_id, "body": "<p>Please send the receipts</p>"},
        },
    )
    assert answer.status == 201
    return str(answer.body["thread_id"])


@pytest.fixture
def chat(core_settings, lambda_function) -> Chat:
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    for account_id in ("acct-1", "acct-2"):
        seeder.account(FIRM, account_id)
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    seeder.client_user(FIRM, "acct-2", "contact-2", OTHER_CLIENT.subject)
    seeder.firm_user(FIRM, "member", MEMBER.subject, Role.MEMBER, assigned=["acct-1"])
    seeder.firm(OTHER_FIRM, STRANGER.subject)
    seeder.account(OTHER_FIRM, "acct-9")
    seeder.client_user(OTHER_FIRM, "acct-9", "contact-9", "sub-contact-9")
    api = HttpApi(lambda_function("HttpApiFunction"))
    thread_id = _create(api, OWNER, "acct-1", "first-message-1")
    archived_id = _create(api, OWNER, "acct-1", "first-message-2")
    assert api.call("POST", f"/threads/{archived_id}/archive", OWNER).status == 200
    other_firm_thread_id = _create(api, STRANGER, "acct-9", "first-message-9")
    connections = Root().connections
    for sign_in, connection_id in {**SOCKETS, **OUTSIDERS}.items():
        connections.register(
            Caller(firm_id=sign_in.firm_id, subject=sign_in.subject), connection_id
        )
    return Chat(
        api, lambda_function("WsDefaultFunction"), thread_id, archived_id, other_firm_thread_id
    )


def _send(
    thread_id: str, client_id: str = "ws-message-1", body: str = "<p>Sent</p>"
) -> dict[str, Any]:
    return {"action": "send", "thread_id": thread_id, "client_id": client_id, "body": body}


def test_a_message_sent_on_the_socket_is_stored_acknowledged_and_pushed_to_the_audience(chat):
    reply = chat.frame(CLIENT, _send(chat.thread_id))

    assert reply["type"] == "sent"
    assert (reply["client_id"], reply["created"]) == ("ws-message-1", True)
    assert (reply["message"]["seq"], reply["message"]["html"]) == (2, "<p>Sent</p>")
    stored = chat.messages(CLIENT, chat.thread_id)[0]
    assert stored == {**reply["message"], "status": stored["status"]}
    for sign_in, connection_id in SOCKETS.items():
        pushes = [frame for frame in pushed_frames(connection_id) if frame["type"] == "message"]
        assert [push["message"]["client_id"] for push in pushes] == ["ws-message-1"], sign_in
    for connection_id in OUTSIDERS.values():
        assert pushed_frames(connection_id) == []


def test_a_retry_of_the_same_message_returns_the_first_and_makes_no_second(chat):
    first = chat.frame(CLIENT, _send(chat.thread_id))
    retry = chat.frame(CLIENT, _send(chat.thread_id))

    assert (retry["type"], retry["created"]) == ("sent", False)
    assert retry["message"]["seq"] == first["message"]["seq"]
    assert [m["client_id"] for m in chat.messages(OWNER, chat.thread_id)] == [
        "ws-message-1",
        "first-message-1",
    ]
    assert [f["type"] for f in pushed_frames(SOCKETS[MEMBER])] == ["message"]


def test_the_http_api_and_the_socket_share_one_idempotent_post(chat):
    over_http = chat.api.call(
        "POST",
        f"/threads/{chat.thread_id}/messages",
        CLIENT,
        {"client_id": "ws-message-1", "body": "<p>Sent</p>"},
    )
    over_socket = chat.frame(CLIENT, _send(chat.thread_id))

    assert over_http.status == 201
    assert (over_socket["created"], over_socket["message"]["seq"]) == (False, over_http.body["seq"])


@pytest.mark.parametrize(
    ("frame_of", "error", "message_part"),
    [
        (lambda chat: _send("no-such-thread"), "not_found", "thread"),
        (lambda chat: _send(chat.other_firm_thread_id), "not_found", "thread"),
        (lambda chat: _send(chat.archived_id), "conflict", "archived: reopen it"),
        (lambda chat: _send(chat.thread_id, body="<p> </p>"), "invalid_input", "empty"),
        (
            lambda chat: _send(chat.thread_id, body="<p>" + "x" * MAX_MESSAGE_BYTES + "</p>"),
            "payload_too_large",
            "24 KB",
        ),
        (
            lambda chat: _send(chat.thread_id, client_id="first-message-1", body="<p>Other</p>"),
            "conflict",
            "already sent with other content",
        ),
        (lambda chat: _send("../threads"), "invalid_input", "thread_id"),
        (lambda chat: _send(chat.thread_id, client_id="short"), "invalid_input", "client_id"),
        (lambda chat: {**_send(chat.thread_id), "author": "owner"}, "invalid_input", "author"),
        (lambda chat: {"action": "send", "thread_id": chat.thread_id}, "invalid_input", "body"),
        (lambda chat: {**_send(chat.thread_id), "body": 7}, "invalid_input", "body"),
        (lambda chat: _send(chat.thread_id, body="<p>\ud800</p>"), "invalid_input", "surrogate"),
        (
            lambda chat: {**_send(chat.thread_id), "mentions": ["\ud800"]},
            "invalid_input",
            "mentions",
        ),
    ],
    ids=[
        "unknown thread",
        "another firm's thread",
        "archived thread",
        "empty body",
        "oversize body",
        "same client id, other body",
        "malformed thread id",
        "malformed client id",
        "unknown field",
        "missing body",
        "body not text",
        "lone surrogate in the body",
        "lone surrogate in a mention",
    ],
)
def test_a_bad_send_gets_a_precise_error_frame_and_writes_nothing(
    chat, frame_of, error, message_part
):
    before = {
        thread_id: chat.messages(sign_in, thread_id)
        for sign_in, thread_id in [
            (OWNER, chat.thread_id),
            (OWNER, chat.archived_id),
            (STRANGER, chat.other_firm_thread_id),
        ]
    }

    reply = chat.frame(MEMBER, frame_of(chat))

    assert (reply["type"], reply["problem"]["code"]) == ("error", error)
    assert message_part in reply["problem"]["detail"]
    assert pushed_frames(SOCKETS[MEMBER]) == [reply]
    for sign_in, connection_id in {**SOCKETS, **OUTSIDERS}.items():
        if sign_in != MEMBER:
            assert pushed_frames(connection_id) == []
    sign_ins = {chat.other_firm_thread_id: STRANGER}
    after = {
        thread_id: chat.messages(sign_ins.get(thread_id, OWNER), thread_id) for thread_id in before
    }
    assert after == before


def test_mark_read_acknowledges_and_the_others_see_the_receipt(chat):
    reply = chat.frame(CLIENT, {"action": "mark_read", "thread_id": chat.thread_id})

    assert reply["type"] == "marked_read"
    assert (reply["thread"]["audience"], reply["thread"]["unread"]) == ("client", 0)
    assert [m["status"] for m in chat.messages(OWNER, chat.thread_id)] == ["read"]
    for sign_in, connection_id in SOCKETS.items():
        (receipt,) = [f for f in pushed_frames(connection_id) if f["type"] == "read"]
        assert receipt["thread_id"] == chat.thread_id
        if sign_in == CLIENT:  # a client learns what shows read, not who read how far
            assert set(receipt) == {"type", "audience", "thread_id", "read_up_to", "unread"}
        else:
            assert (receipt["user_id"], receipt["client_read_seq"]) == ("contact-1", 1)
    for connection_id in OUTSIDERS.values():
        assert pushed_frames(connection_id) == []


@pytest.mark.parametrize(
    ("frame_of", "error"),
    [
        (lambda chat: {"action": "mark_read", "thread_id": "no-such-thread"}, "not_found"),
        (lambda chat: {"action": "mark_read", "thread_id": chat.other_firm_thread_id}, "not_found"),
        (
            lambda chat: {"action": "mark_read", "thread_id": chat.thread_id, "up_to": 0},
            "invalid_input",
        ),
        (lambda chat: {"action": "mark_read"}, "invalid_input"),
    ],
    ids=["unknown thread", "another firm's thread", "up_to below 1", "no thread"],
)
def test_a_bad_mark_read_gets_an_error_frame_and_reads_nothing(chat, frame_of, error):
    reply = chat.frame(CLIENT, frame_of(chat))

    assert (reply["type"], reply["problem"]["code"]) == ("error", error)
    assert [m["status"] for m in chat.messages(OWNER, chat.thread_id)] == ["sent"]
    assert chat.api.call("GET", f"/threads/{chat.thread_id}", CLIENT).body["unread"] == 1


def test_typing_reaches_the_audience_but_the_typist_and_is_not_stored(chat):
    thread_before = chat.api.call("GET", f"/threads/{chat.thread_id}", OWNER).body

    reply = chat.frame(MEMBER, {"action": "typing", "thread_id": chat.thread_id})

    assert reply == {"type": "typing_sent", "thread_id": chat.thread_id}
    assert pushed_frames(SOCKETS[MEMBER]) == [reply]
    for sign_in in (OWNER, CLIENT):
        (signal,) = pushed_frames(SOCKETS[sign_in])
        assert (signal["type"], signal["author"]["kind"]) == ("typing", "firm_user")
    for connection_id in OUTSIDERS.values():
        assert pushed_frames(connection_id) == []
    assert chat.api.call("GET", f"/threads/{chat.thread_id}", OWNER).body == thread_before


@pytest.mark.parametrize(
    ("thread_of", "error"),
    [
        (lambda chat: "no-such-thread", "not_found"),
        (lambda chat: chat.other_firm_thread_id, "not_found"),
        (lambda chat: chat.archived_id, "conflict"),
    ],
    ids=["unknown thread", "another firm's thread", "archived thread"],
)
def test_typing_where_one_may_not_reply_gets_an_error_frame_and_pushes_nothing(
    chat, thread_of, error
):
    reply = chat.frame(MEMBER, {"action": "typing", "thread_id": thread_of(chat)})

    assert (reply["type"], reply["problem"]["code"]) == ("error", error)
    for sign_in, connection_id in {**SOCKETS, **OUTSIDERS}.items():
        if sign_in != MEMBER:
            assert pushed_frames(connection_id) == []


FIRM_INTERNAL = frozenset(
    {"mentioned_user_ids", "mentions", "client_read_seq", "firm_read_seq", "read_seq", "user_id"}
)


def _names(value: Any) -> set[str]:
    """Every member name anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_names(inner) for inner in value.values()))
    if isinstance(value, list):
        return set().union(*(_names(inner) for inner in value))
    return set()


def test_a_client_walking_every_route_and_frame_meets_no_firm_internal_field(chat):
    """Every thread route a client may call and every frame type pushed to them, with the
    firm's internals present to be leaked: a mention, both sides' reads, a firm typist."""
    mention = {"client_id": "mentioning-1", "body": "<p>Look</p>", "mentions": ["member"]}
    assert chat.api.call("POST", f"/threads/{chat.thread_id}/messages", OWNER, mention).status
    chat.frame(OWNER, {"action": "mark_read", "thread_id": chat.thread_id})
    new_id = _create(chat.api, OWNER, "acct-1", "first-message-3")
    seen: list[Any] = [
        chat.frame(CLIENT, _send(chat.thread_id)),
        chat.frame(CLIENT, {"action": "mark_read", "thread_id": chat.thread_id}),
        chat.frame(CLIENT, {"action": "typing", "thread_id": chat.thread_id}),
    ]
    chat.frame(MEMBER, {"action": "typing", "thread_id": chat.thread_id})
    for method, path in [
        ("GET", "/threads"),
        ("GET", "/threads?status=archived"),
        ("GET", f"/threads/{chat.thread_id}"),
        ("GET", f"/threads/{chat.thread_id}/messages"),
        ("GET", f"/threads/{chat.archived_id}"),
        ("GET", "/accounts/acct-1/threads"),
        ("GET", "/chat-accounts"),
        ("POST", f"/threads/{new_id}/read"),
    ]:
        answer = chat.api.call(method, path, CLIENT, {} if method == "POST" else None)
        assert answer.status == 200, (path, answer.body)
        seen.append(answer.body)
    posted = chat.api.call(
        "POST", f"/threads/{new_id}/messages", CLIENT, {"client_id": "client-reply-2", "body": "x"}
    )
    assert posted.status == 201
    seen.append(posted.body)
    for path in (f"/threads/{new_id}/archive", f"/threads/{new_id}/reopen"):
        assert chat.api.call("POST", path, OWNER).status == 200
    assert chat.api.call("DELETE", f"/threads/{new_id}", OWNER).status == 204
    pushed = pushed_frames(SOCKETS[CLIENT])
    kinds = {frame["type"] for frame in pushed}
    assert kinds >= {
        "thread_created",
        "message",
        "read",
        "typing",
        "thread_archived",
        "thread_reopened",
        "thread_deleted",
    }
    assert _names(seen + pushed) & FIRM_INTERNAL == set()
    # ...while the firm keeps what it works with.
    firm_view = chat.api.call("GET", f"/threads/{chat.thread_id}", OWNER).body
    assert {"mentioned_user_ids", "client_read_seq", "firm_read_seq"} <= set(firm_view)


def test_pushed_frames_carry_each_receivers_own_unread_counts(chat):
    chat.frame(MEMBER, {"action": "mark_read", "thread_id": chat.thread_id})
    chat.frame(CLIENT, _send(chat.thread_id))

    def counts(sign_in: SignIn) -> dict[str, int]:
        (frame,) = [f for f in pushed_frames(SOCKETS[sign_in]) if f["type"] == "message"]
        return dict(frame["unread"])

    # The owner wrote the first message, the member read it: one new each in the thread;
    # the account also holds the archived thread's message, which the member has not read.
    assert counts(OWNER) == {"thread": 1, "account": 1}
    assert counts(MEMBER) == {"thread": 1, "account": 2}
    assert counts(CLIENT) == {"thread": 0, "account": 1}  # their own message counts read
    rows = chat.api.call("GET", "/chat-accounts", CLIENT).body["accounts"]
    assert [(row["account_name"], row["unread"]) for row in rows] == [("Client acct-1", 1)]


def test_members_list_whom_they_may_mention_and_see_the_account_name_they_are_mentioned_for(
    chat,
):
    answer = chat.api.call("GET", "/mentionable-users", MEMBER)
    assert answer.status == 200
    assert {user["user_id"] for user in answer.body} == {"owner", "member"}
    assert all(set(user) == {"user_id", "name"} for user in answer.body)
    assert chat.api.call("GET", "/mentionable-users", CLIENT).body["code"] == "forbidden"

    Seeder().firm_user(FIRM, "outsider", "sub-outsider", Role.MEMBER, assigned=["acct-2"])
    mention = {"client_id": "mentioning-2", "body": "<p>See</p>", "mentions": ["outsider"]}
    chat.api.call("POST", f"/threads/{chat.thread_id}/messages", OWNER, mention)
    (row,) = chat.api.call("GET", "/threads", SignIn(FIRM, "sub-outsider")).body["threads"]
    assert (row["thread_id"], row["account_name"]) == (chat.thread_id, "Client acct-1")
