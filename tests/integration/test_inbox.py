"""The firm inbox (NT-3 to NT-5) and the client's dashboard (NT-2), fed from the stream: one
entry per (person, thread), moved to the top on each new activity, counted once however
often the stream delivers, marked read, and pushed to the person's sockets."""

import json
import uuid
from typing import Any
from urllib.parse import unquote

import pytest

from firmchat.domain.principal import Role
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn, ws_event
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
MIA = SignIn(FIRM, "sub-mia")  # a member assigned to the account
MAX = SignIn(FIRM, "sub-max")  # a member with no access to it
ADA = SignIn(FIRM, "sub-ada")
BEA = SignIn(FIRM, "sub-bea")


@pytest.fixture
def world(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.firm_user(FIRM, "mia", MIA.subject, Role.MEMBER, assigned=["acct-1"])
    seeder.firm_user(FIRM, "max", MAX.subject, Role.MEMBER)
    seeder.client_user(FIRM, "acct-1", "ada", ADA.subject)
    seeder.client_user(FIRM, "acct-1", "bea", BEA.subject)
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    worker = lambda_function("StreamWorkerFunction")
    worker.invoke(stream.event())
    connect = lambda_function("WsConnectFunction")
    event = ws_event("owner-tab", OWNER, {})
    event["requestContext"]["routeKey"] = "$connect"
    connect.invoke(event)
    return {"api": HttpApi(lambda_function("HttpApiFunction")), "worker": worker, "stream": stream}


def _run(world) -> dict[str, Any]:
    event: dict[str, Any] = world["stream"].event()
    assert world["worker"].invoke(event) == {"batchItemFailures": []}
    return event


def _thread(api: HttpApi, subject: str) -> str:
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": subject,
            "message": {"client_id": uuid.uuid4().hex, "body": "<p>Please send it</p>"},
        },
    )
    assert answer.status == 201, answer.body
    return str(answer.body["thread_id"])


def _post(api: HttpApi, thread_id: str, sign_in: SignIn, body: str, mentions=()) -> None:
    answer = api.call(
        "POST",
        f"/threads/{thread_id}/messages",
        sign_in,
        {"client_id": uuid.uuid4().hex, "body": body, "mentions": list(mentions)},
    )
    assert answer.status == 201, answer.body


def _entries(api: HttpApi, sign_in: SignIn, path: str = "/inbox") -> list[dict[str, Any]]:
    answer = api.call("GET", path, sign_in)
    assert answer.status == 200, answer.body
    return list(answer.body["entries"])


def test_a_new_thread_waits_on_each_clients_dashboard_and_not_in_the_creators_inbox(world):
    api = world["api"]
    thread_id = _thread(api, "2025 return")
    _run(world)

    for client in (ADA, BEA):
        (entry,) = _entries(api, client, "/dashboard")
        assert (entry["thread_id"], entry["unread"], entry["activity"]) == (
            thread_id,
            1,
            "new_thread",
        )
        assert entry["actor"]["name"] == "Owner"
    assert _entries(api, OWNER) == []


def test_a_client_reply_reaches_the_creator_and_the_assigned_member_and_moves_to_the_top(world):
    api = world["api"]
    first = _thread(api, "2025 return")
    second = _thread(api, "Payroll")
    _run(world)
    _post(api, second, ADA, "<p>Payroll attached</p>")
    _run(world)
    _post(api, first, ADA, "<p>Here it is</p>")
    _post(api, first, BEA, "<p>And mine</p>")
    _run(world)

    for person in (OWNER, MIA):
        entries = _entries(api, person)
        assert [entry["thread_id"] for entry in entries] == [first, second]
        assert (entries[0]["unread"], entries[0]["activity"]) == (2, "message")
        assert entries[0]["actor"]["name"] == "Bea"
    assert _entries(api, MAX) == []


def test_a_mention_notifies_the_member_even_without_access_to_the_account(world):
    api = world["api"]
    thread_id = _thread(api, "2025 return")
    _post(api, thread_id, OWNER, "<p>Max, can you check?</p>", mentions=["max"])
    _run(world)

    (entry,) = _entries(api, MAX)
    assert (entry["thread_id"], entry["activity"], entry["unread"]) == (thread_id, "mention", 1)
    assert _entries(api, OWNER) == []


def test_the_same_batch_twice_counts_each_message_once(world):
    api = world["api"]
    thread_id = _thread(api, "2025 return")
    _run(world)
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    event = _run(world)

    assert world["worker"].invoke(event) == {"batchItemFailures": []}

    assert [entry["unread"] for entry in _entries(api, OWNER)] == [1]


def test_marking_read_keeps_the_entry_and_reading_the_thread_clears_the_dashboard(world):
    api = world["api"]
    thread_id = _thread(api, "2025 return")
    _run(world)
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    _run(world)

    assert api.call("POST", f"/inbox/{thread_id}/read", OWNER).status == 204
    assert api.call("POST", f"/threads/{thread_id}/read", BEA, {}).status in (200, 204)
    _run(world)

    assert [entry["unread"] for entry in _entries(api, OWNER)] == [0]
    assert _entries(api, BEA, "/dashboard") == []
    assert len(_entries(api, ADA, "/dashboard")) == 0  # Ada wrote after the firm: she read it


def test_the_inbox_is_the_firms_and_the_dashboard_the_clients(world):
    api = world["api"]

    assert api.call("GET", "/inbox", ADA).status == 403
    assert api.call("GET", "/dashboard", OWNER).status == 403
    assert api.call("POST", "/inbox/no-such-thread/read", OWNER).status == 204


def test_a_new_entry_is_pushed_to_the_persons_open_sockets(world, aws_calls):
    api = world["api"]
    thread_id = _thread(api, "2025 return")
    _run(world)
    aws_calls.calls.clear()
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    _run(world)

    pushed = [
        json.loads(call.body) if isinstance(call.body, str) else call.body
        for call in aws_calls.of("apigatewaymanagementapi", "PostToConnection")
        if unquote(call.path).endswith("/owner-tab")
    ]
    frames = [frame for frame in pushed if frame.get("type") == "inbox_entry"]
    assert [frame["entry"]["thread_id"] for frame in frames] == [thread_id]


def _emails_to(aws_calls, address: str) -> list[dict[str, Any]]:
    return [
        call.body
        for call in aws_calls.of("sesv2", "SendEmail")
        if address in call.body["Destination"]["ToAddresses"]
    ]


def _prefer(api: HttpApi, sign_in: SignIn, **channels: str) -> None:
    answer = api.call("PUT", "/me/notification-preferences", sign_in, channels)
    assert answer.status == 200, answer.body


def test_preferences_default_to_the_inbox_and_are_the_firm_users_own(world):
    api = world["api"]

    answer = api.call("GET", "/me/notification-preferences", OWNER)
    assert (answer.status, answer.body) == (
        200,
        {"new_thread": "inbox", "message": "inbox", "mention": "inbox", "all_tasks_done": "both"},
    )
    _prefer(api, OWNER, message="both", mention="none")
    assert api.call("GET", "/me/notification-preferences", OWNER).body["message"] == "both"
    assert api.call("GET", "/me/notification-preferences", MIA).body["message"] == "inbox"

    assert api.call("GET", "/me/notification-preferences", ADA).status == 403
    assert api.call("PUT", "/me/notification-preferences", ADA, {}).status == 403
    for bad in ({"message": "pigeon"}, {"reminder": "email"}):
        assert api.call("PUT", "/me/notification-preferences", OWNER, bad).status == 422
    assert api.call("GET", "/me/notification-preferences", OWNER).body["mention"] == "none"


def test_email_only_reaches_the_creator_once_per_thread_until_read(world, aws_calls):
    api = world["api"]
    _prefer(api, OWNER, message="email")
    thread_id = _thread(api, "2025 return")
    _run(world)
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    event = _run(world)
    assert world["worker"].invoke(event) == {"batchItemFailures": []}  # redelivered
    _post(api, thread_id, BEA, "<p>And mine</p>")
    _run(world)

    (email,) = _emails_to(aws_calls, "owner@firm-1.example")
    assert "Ada wrote in" in email["Content"]["Simple"]["Subject"]["Data"]
    assert f"/threads/{thread_id}" in email["Content"]["Simple"]["Body"]["Text"]["Data"]
    assert "Here it is" not in email["Content"]["Simple"]["Body"]["Text"]["Data"]
    assert _entries(api, OWNER) == []  # email only: no inbox entry

    assert api.call("POST", f"/threads/{thread_id}/read", OWNER, {}).status in (200, 204)
    _post(api, thread_id, ADA, "<p>One more</p>")
    _run(world)
    assert len(_emails_to(aws_calls, "owner@firm-1.example")) == 2


def test_none_sends_nothing_and_both_sends_both(world, aws_calls):
    api = world["api"]
    _prefer(api, OWNER, message="none")
    _prefer(api, MIA, message="both")
    thread_id = _thread(api, "2025 return")
    _run(world)
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    _run(world)

    assert _entries(api, OWNER) == []
    assert _emails_to(aws_calls, "owner@firm-1.example") == []
    assert [entry["thread_id"] for entry in _entries(api, MIA)] == [thread_id]
    assert len(_emails_to(aws_calls, "mia@firm-1.example")) == 1


def test_no_email_of_what_the_user_read_before_the_stream_got_to_it(world, aws_calls):
    api = world["api"]
    _prefer(api, OWNER, message="email")
    thread_id = _thread(api, "2025 return")
    _run(world)
    _post(api, thread_id, ADA, "<p>Here it is</p>")
    assert api.call("POST", f"/threads/{thread_id}/read", OWNER, {}).status in (200, 204)
    _run(world)

    assert _emails_to(aws_calls, "owner@firm-1.example") == []
