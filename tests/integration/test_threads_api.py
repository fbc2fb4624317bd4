"""Threads and messages over the HTTP API function, as API Gateway calls it."""

import base64
import json

import pytest

from firmchat.domain.principal import Role
from testkit.people import Seeder
from tests.support.api import Answer, HttpApi, SignIn, http_event

FIRM, OTHER_FIRM = "firm-1", "firm-2"
OWNER = SignIn(FIRM, "sub-owner")
MEMBER = SignIn(FIRM, "sub-member")
CLIENT = SignIn(FIRM, "sub-client")
STRANGER = SignIn(OTHER_FIRM, "sub-stranger")


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.account(FIRM, "acct-silent")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    seeder.firm_user(FIRM, "member", MEMBER.subject, Role.MEMBER)
    seeder.firm(OTHER_FIRM, STRANGER.subject)
    return HttpApi(lambda_function("HttpApiFunction"))


def _thread(
    api: HttpApi, client_id: str = "first-message-1", body: str = "<p>Please send the receipts</p>"
) -> Answer:
    return api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "Receipts",
            "message": {"client_id": client_id, "body": body},
        },
    )


def test_a_thread_is_created_answered_read_and_printed(api, lambda_function):
    created = _thread(api)
    assert created.status == 201
    thread_id = created.body["thread_id"]

    reply = api.call(
        "POST",
        f"/threads/{thread_id}/messages",
        CLIENT,
        {"client_id": "reply-0001", "body": "<b>Done</b> 👍"},
    )
    assert reply.status == 201
    assert reply.body["author"]["name"]
    assert (
        api.call(
            "POST",
            f"/threads/{thread_id}/messages",
            CLIENT,
            {"client_id": "reply-0001", "body": "<b>Done</b> 👍"},
        ).status
        == 200
    )

    listed = api.call("GET", "/accounts/acct-1/threads?size=50", OWNER)
    assert [(t["subject"], t["unread"]) for t in listed.body["threads"]] == [("Receipts", 1)]
    assert api.call("POST", f"/threads/{thread_id}/read", OWNER, {}).status == 200
    assert api.call("GET", "/chat-accounts?filter=unread", OWNER).body["accounts"] == []
    messages = api.call("GET", f"/threads/{thread_id}/messages", CLIENT).body["messages"]
    assert [m["status"] for m in messages] == ["read", "read"]

    printed = lambda_function("HttpApiFunction").invoke(  # the page is HTML, not JSON
        http_event("GET", f"/threads/{thread_id}/print", OWNER, None)
    )
    assert printed["statusCode"] == 200
    assert "<h1>Receipts</h1>" in printed["body"]
    assert "frame-ancestors 'none'" in printed["headers"]["content-security-policy"]
    assert printed["headers"]["cache-control"] == "no-store"
    assert printed["headers"]["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ("", 422, "invalid_input"),
        ("x" * 40_000, 413, "payload_too_large"),
        ("<script>alert(1)</script>", 422, "invalid_input"),
        ('<a href="javascript:alert(1)">x</a>', 422, "invalid_input"),
        ('<iframe src="https://evil.example/v"></iframe>', 422, "invalid_input"),
    ],
)
def test_bad_bodies_get_a_precise_4xx(api, body, status, error):
    thread_id = _thread(api).body["thread_id"]
    answer = api.call(
        "POST", f"/threads/{thread_id}/messages", CLIENT, {"client_id": "bad-body-1", "body": body}
    )
    assert (answer.status, answer.body["code"]) == (status, error)
    assert api.call("GET", f"/threads/{thread_id}", OWNER).body["seq"] == 1


@pytest.mark.parametrize(
    ("method", "path", "sign_in", "status"),
    [
        ("GET", "/threads/no-such-thread", OWNER, 404),
        ("GET", "/threads?size=30", OWNER, 422),
        ("GET", "/threads?cursor=garbage", OWNER, 422),
        ("GET", "/accounts/acct-1/threads", MEMBER, 404),
        ("GET", "/threads?status=deleted", OWNER, 422),
    ],
)
def test_bad_requests_get_a_precise_4xx(api, method, path, sign_in, status):
    assert api.call(method, path, sign_in).status == status


def test_another_firm_and_an_unassigned_member_cannot_tell_the_thread_exists(api):
    thread_id = _thread(api).body["thread_id"]
    for sign_in in (STRANGER, MEMBER):
        answer = api.call("GET", f"/threads/{thread_id}", sign_in)
        assert (answer.status, answer.body["detail"]) == (404, "no such thread")
    assert api.call("GET", "/threads", MEMBER).body["threads"] == []


def test_archived_threads_refuse_replies_until_reopened_and_deleted_ones_are_gone(api):
    thread_id = _thread(api).body["thread_id"]
    assert api.call("POST", f"/threads/{thread_id}/archive", OWNER).body["status"] == "archived"
    refused = api.call(
        "POST",
        f"/threads/{thread_id}/messages",
        CLIENT,
        {"client_id": "late-reply-1", "body": "hi"},
    )
    assert refused.status == 409
    assert api.call("POST", f"/threads/{thread_id}/archive", CLIENT).status == 403
    assert api.call("POST", f"/threads/{thread_id}/reopen", OWNER).body["status"] == "active"
    assert api.call("DELETE", f"/threads/{thread_id}", OWNER).status == 204
    assert api.call("GET", f"/threads/{thread_id}", OWNER).status == 404


def test_an_account_without_a_signed_in_contact_cannot_receive_a_thread(api):
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-silent",
            "subject": "Hello",
            "message": {"client_id": "silent-0001", "body": "hi"},
        },
    )
    assert answer.status == 409
    assert "invite a contact first" in answer.body["detail"]


LONE = "\ud800"


@pytest.mark.parametrize(
    ("method", "path_of", "body", "sign_in"),
    [
        ("POST", "messages", {"client_id": "lone-0001", "body": f"<p>a{LONE}</p>"}, CLIENT),
        ("POST", "messages", {"client_id": "lone-0002", "body": "hi", "mentions": [LONE]}, OWNER),
        (
            "POST",
            "threads",
            {
                "account_id": "acct-1",
                "subject": LONE,
                "message": {"client_id": "lone-0003", "body": "x"},
            },
            OWNER,
        ),
        (
            "POST",
            "threads",
            {
                "account_id": f"acct-{LONE}",
                "subject": "s",
                "message": {"client_id": "lone-0004", "body": "x"},
            },
            OWNER,
        ),
        ("POST", "accounts", {"name": f"Acme {LONE}"}, OWNER),
        ("POST", "contacts", {"name": "Ann", "email": f"ann{LONE}@example.com"}, OWNER),
        ("POST", "users", {"name": f"Max {LONE}", "email": "max@example.com"}, OWNER),
        ("POST", "reset", {"firm_id": FIRM, "email": f"a{LONE}@example.com"}, None),
    ],
    ids=[
        "body",
        "mention",
        "subject",
        "account id",
        "account name",
        "contact email",
        "user name",
        "reset email",
    ],
)
def test_a_lone_surrogate_in_any_free_text_field_is_a_422(api, method, path_of, body, sign_in):
    thread_id = _thread(api).body["thread_id"]
    path = {
        "messages": f"/threads/{thread_id}/messages",
        "threads": "/threads",
        "accounts": "/accounts",
        "contacts": "/accounts/acct-1/contacts",
        "users": "/users",
        "reset": "/password-reset",
    }[path_of]
    answer = api.call(method, path, sign_in, body)
    assert answer.status == 422, answer.body
    assert api.call("GET", f"/threads/{thread_id}", OWNER).body["seq"] == 1


def test_a_mention_id_longer_than_a_key_part_is_a_422(api):
    thread_id = _thread(api).body["thread_id"]
    body = {"client_id": "long-mention-1", "body": "hi", "mentions": ["u" * 65]}
    assert api.call("POST", f"/threads/{thread_id}/messages", OWNER, body).status == 422


def test_a_hand_made_cursor_outside_the_messages_range_is_a_422(api):
    thread_id = _thread(api).body["thread_id"]
    partition = f"FIRM#{FIRM}#THREAD#{thread_id}"
    payload = {"p": partition, "k": {"PK": partition, "SK": "REQ#first-message-1"}}
    cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    answer = api.call("GET", f"/threads/{thread_id}/messages?cursor={cursor}", OWNER)
    assert (answer.status, answer.body["code"]) == (422, "invalid_input")
