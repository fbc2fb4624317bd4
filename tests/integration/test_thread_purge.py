"""A deleted thread is gone at once for everyone, and the stream purges what it held in
chunks until nothing of it remains, even when a step is cut off halfway."""

from typing import Any

import pytest

from firmchat.adapters.threads import PURGE_CHUNK, DynamoThreadStore
from firmchat.domain import keys
from firmchat.root import Root
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-client")
REPLIES = PURGE_CHUNK // 2 + 5  # each leaves a message and its client id: two chunks


@pytest.fixture
def world(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    return {
        "api": HttpApi(lambda_function("HttpApiFunction")),
        "worker": lambda_function("StreamWorkerFunction"),
        "stream": TableStream(core_settings.get_att("ChatTable", "StreamArn")),
    }


def _big_thread(api: HttpApi) -> str:
    created = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "Year end",
            "message": {"client_id": "open-0001", "body": "hi"},
        },
    )
    thread_id = str(created.body["thread_id"])
    for number in range(REPLIES):
        body = {"client_id": f"reply-{number:04d}", "body": f"<p>receipt {number}</p>"}
        assert api.call("POST", f"/threads/{thread_id}/messages", CLIENT, body).status == 201
    return thread_id


def _left_of(thread_id: str) -> list[dict[str, Any]]:
    table = Root().table
    partition = keys.thread_partition(FIRM, thread_id)
    return table.query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": partition}
    )["Items"]


def _drain(world) -> None:
    """Runs the worker on new records until the stream is quiet, as Lambda's poller would."""
    while records := world["stream"].new_records():
        assert world["worker"].invoke({"Records": records}) == {"batchItemFailures": []}


def test_a_deleted_thread_is_gone_at_once_and_purged_from_the_stream(world):
    api = world["api"]
    thread_id = _big_thread(api)
    _drain(world)

    assert api.call("DELETE", f"/threads/{thread_id}", OWNER).status == 204

    late = {"client_id": "late-0001", "body": "one more"}
    assert api.call("GET", f"/threads/{thread_id}", CLIENT).status == 404
    assert api.call("GET", f"/threads/{thread_id}/messages", OWNER).status == 404
    assert api.call("POST", f"/threads/{thread_id}/messages", CLIENT, late).status == 404
    assert api.call("GET", "/threads", OWNER).body["threads"] == []
    assert len(_left_of(thread_id)) > PURGE_CHUNK
    _drain(world)
    assert _left_of(thread_id) == []
    for person in (OWNER, CLIENT):
        (row,) = api.call("GET", "/chat-accounts?filter=all", person).body["accounts"]
        assert (row["active"], row["messages"], row["unread"]) == (0, 0, 0)


def test_a_purge_cut_off_after_its_first_chunk_finishes_when_redelivered(world, monkeypatch):
    api = world["api"]
    thread_id = _big_thread(api)
    _drain(world)
    assert api.call("DELETE", f"/threads/{thread_id}", OWNER).status == 204
    before = len(_left_of(thread_id))

    def cut_off(self: DynamoThreadStore, key: object) -> None:
        raise TimeoutError("the function ran out of time")

    records = world["stream"].new_records()
    with monkeypatch.context() as patched:
        patched.setattr(DynamoThreadStore, "_next_purge_round", cut_off)
        failed = world["worker"].invoke({"Records": records})
    assert failed["batchItemFailures"]
    assert 0 < len(_left_of(thread_id)) == before - PURGE_CHUNK

    assert world["worker"].invoke({"Records": records}) == {"batchItemFailures": []}
    _drain(world)
    assert _left_of(thread_id) == []


def test_a_purged_thread_takes_its_inbox_and_dashboard_entries_with_it(world):
    api = world["api"]
    kept = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "Kept",
            "message": {"client_id": "kept-0001", "body": "hi"},
        },
    ).body["thread_id"]
    thread_id = _big_thread(api)  # the client's replies reach the owner's inbox
    last = {"client_id": "last-0001", "body": "thanks"}  # and this the client's dashboard
    assert api.call("POST", f"/threads/{thread_id}/messages", OWNER, last).status == 201
    _drain(world)
    inbox = api.call("GET", "/inbox", OWNER).body["entries"]
    dashboard = api.call("GET", "/dashboard", CLIENT).body["entries"]
    assert thread_id in {entry["thread_id"] for entry in inbox}
    assert {entry["thread_id"] for entry in dashboard} == {kept, thread_id}

    assert api.call("DELETE", f"/threads/{thread_id}", OWNER).status == 204
    _drain(world)

    owner_partition = keys.inbox_partition(FIRM, "owner")
    left = Root().table.query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": owner_partition}
    )["Items"]
    assert [item["SK"] for item in left if thread_id in str(item["SK"])] == []
    assert api.call("GET", "/inbox", OWNER).body["entries"] == []
    dashboard = api.call("GET", "/dashboard", CLIENT).body["entries"]
    assert [entry["thread_id"] for entry in dashboard] == [kept]
