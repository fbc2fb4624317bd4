"""Faults injected under the adapters, on the wire (botocore's `before-send`, so the
adapters' own clients, retries and error handling run as in production): DynamoDB
throttling, a management API call that fails, a stream batch that fails half-way. Nothing
may be lost, nothing doubled."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import ClientError

from firmchat.adapters.aws import connections_api, dynamodb
from firmchat.config import Settings
from firmchat.domain.caller import Caller
from firmchat.domain.people import ContactChanges
from firmchat.root import Root
from firmchat.services.audience import Audience
from firmchat.services.directory import PeopleDirectory
from firmchat.services.identity import Authenticator
from firmchat.services.messages import Messages
from firmchat.services.people import PeopleAdmin
from firmchat.services.realtime import Broadcast
from tests.robustness.conftest import ACCOUNT, new_message, new_thread
from tests.support.streams import TableStream

THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded",
}

SERVER_ERROR = {
    "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
    "message": "Internal server error",
}
INTERNAL_ERROR = {"__type": "InternalServerError", "message": "try again"}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _error_response(request: Any, status: int, body: dict[str, Any]) -> AWSResponse:
    raw = json.dumps(body).encode()
    headers = HTTPHeaders()
    headers["Content-Type"] = "application/x-amz-json-1.0"
    headers["x-amzn-ErrorType"] = body["__type"]
    return AWSResponse(request.url, status, headers, _Raw(raw))


@contextmanager
def failing(
    client: Any,
    fails: Callable[[Any], bool],
    status: int,
    body: dict[str, Any],
    *,
    answer_lost_of: str | None = None,
) -> Iterator[list[str]]:
    """Answers `status`/`body` instead of moto for each request `fails` picks; yields the
    URLs of the requests it failed. botocore runs every `before-send` handler and keeps the
    first answer, so the request is readdressed to a host moto does not serve: it never
    reaches moto (a throttle, a refusal). With `answer_lost_of` (an operation name), moto
    carries the request out first and only its answer is replaced (a timeout after the
    write): hooked on the operation's own event, the handler runs after moto's stubber."""
    failed: list[str] = []
    service = client.meta.service_model.service_name
    event = f"before-send.{service}.{answer_lost_of}" if answer_lost_of else "before-send"

    def answer(request: Any, **_: Any) -> AWSResponse | None:
        if not fails(request):
            return None
        failed.append(request.url)
        if answer_lost_of is None:
            request.url = "https://fault.invalid/"
        return _error_response(request, status, body)

    client.meta.events.register_first(event, answer)
    try:
        yield failed
    finally:
        client.meta.events.unregister(event, answer)


def first(times: int, operation: str) -> Callable[[Any], bool]:
    """The first `times` DynamoDB requests of `operation`."""
    remaining = [times]

    def pick(request: Any) -> bool:
        if not request.headers.get("X-Amz-Target", b"").endswith(operation.encode()):
            return False
        remaining[0] -= 1
        return remaining[0] >= 0

    return pick


def to_socket(method: str, connection_id: str) -> Callable[[Any], bool]:
    """Management API requests of `method` for one connection."""
    return lambda request: (
        request.method == method and unquote(request.url).endswith(f"/{connection_id}")
    )


def stored_client_ids(firm, thread_id: str) -> list[str]:
    page = firm.messages.of_thread(firm.people["owner"], thread_id, 100, None)
    return [message.client_id for message in page.items]


def test_throttled_writes_are_retried_and_the_message_is_stored_once(new_firm, aws_calls):
    firm = new_firm()
    thread = firm.threads.create(firm.people["owner"], new_thread())[0]
    client = dynamodb().meta.client
    message = new_message()

    with failing(client, first(2, "TransactWriteItems"), 400, THROTTLED) as failed:
        view, created = firm.messages.post(firm.people["anna"], thread.thread_id, message)

    assert (len(failed), created, view.seq) == (2, True, 2)
    assert stored_client_ids(firm, thread.thread_id).count(message.client_id) == 1
    assert firm.threads.get(firm.people["owner"], thread.thread_id).unread == 1
    assert [event.type for event in firm.events.published].count("message") == 1


def test_a_post_throttled_past_its_retries_stores_nothing_and_its_resend_stores_once(
    new_firm,
):
    firm = new_firm()
    thread = firm.threads.create(firm.people["owner"], new_thread())[0]
    message = new_message()
    client = dynamodb().meta.client

    with (
        failing(client, first(99, "TransactWriteItems"), 400, THROTTLED),
        pytest.raises(ClientError),
    ):
        firm.messages.post(firm.people["anna"], thread.thread_id, message)
    assert message.client_id not in stored_client_ids(firm, thread.thread_id)

    _, created = firm.messages.post(firm.people["anna"], thread.thread_id, message)
    _, again = firm.messages.post(firm.people["anna"], thread.thread_id, message)

    assert (created, again) == (True, False)
    assert stored_client_ids(firm, thread.thread_id).count(message.client_id) == 1


def test_a_write_whose_answer_is_lost_is_stored_once_and_pushed_once(new_firm):
    firm = new_firm()
    thread = firm.threads.create(firm.people["owner"], new_thread())[0]
    message = new_message()
    client = dynamodb().meta.client
    published = len(firm.events.published)

    lost = first(1, "TransactWriteItems")
    with failing(client, lost, 500, SERVER_ERROR, answer_lost_of="TransactWriteItems"):
        view, _ = firm.messages.post(firm.people["anna"], thread.thread_id, message)

    assert view.seq == 2
    assert stored_client_ids(firm, thread.thread_id).count(message.client_id) == 1
    assert [event.type for event in firm.events.published[published:]] == ["message"]


@pytest.fixture
def live_firm(new_firm):
    """A firm whose pushes go through the real Broadcast and management API client, with
    every person of it on one socket."""
    firm = new_firm()
    connections = Root().connections
    for who, person in firm.people.items():
        connections.register(Caller(firm_id=person.firm_id, subject=person.subject), f"{who}-tab")
    store, people = Root().thread_store, Root().people_store
    broadcast = Broadcast(
        Audience(connections, Authenticator(people), people), Root().pusher, store
    )
    firm.messages = Messages(store, PeopleDirectory(people), broadcast, Root().clock)
    return firm


def _pushed_to(aws_calls) -> list[str]:
    return [
        unquote(call.path).rsplit("/", 1)[-1]
        for call in aws_calls.of("apigatewaymanagementapi", "PostToConnection")
    ]


def test_a_push_that_fails_for_one_socket_still_reaches_the_others_and_stores_once(
    live_firm, aws_calls
):
    thread = live_firm.threads.create(live_firm.people["owner"], new_thread())[0]
    message = new_message()
    api = connections_api(Settings().ws_management_endpoint)

    with failing(api, to_socket("POST", "member-tab"), 500, INTERNAL_ERROR):
        _, created = live_firm.messages.post(live_firm.people["anna"], thread.thread_id, message)

    assert created
    assert stored_client_ids(live_firm, thread.thread_id).count(message.client_id) == 1
    delivered = [socket for socket in _pushed_to(aws_calls) if socket != "member-tab"]
    assert sorted(delivered) == ["anna-tab", "ben-tab", "owner-tab"]


def test_a_stream_batch_failing_half_way_is_retried_from_the_failure_closing_each_socket_once(
    new_firm, core_settings, lambda_function, aws_calls, monkeypatch
):
    """Two contacts lose portal access in one batch; closing the second one's socket fails
    once. The worker reports that record; the retry from it closes it; the first contact's
    socket is not closed twice."""
    firm = new_firm()
    owner = firm.people["owner"]
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    stream.new_records()  # what seeding wrote is not this batch
    connections = Root().connections
    for who in ("anna", "ben"):
        person = firm.people[who]
        connections.register(Caller(firm_id=person.firm_id, subject=person.subject), f"{who}-tab")
    monkeypatch.setenv("USER_POOL_ID", core_settings.ref("UserPool"))
    services = Root()
    admin = PeopleAdmin(services.people_store, services.identity)
    for who in ("anna", "ben"):
        admin.change_contact(owner, ACCOUNT, who, ContactChanges(portal_access=False))
    batch = stream.event()
    worker = lambda_function("StreamWorkerFunction")
    api = connections_api(Settings().ws_management_endpoint)

    with failing(api, to_socket("DELETE", "ben-tab"), 500, INTERNAL_ERROR):
        answer = worker.invoke(batch)
    failures = [failure["itemIdentifier"] for failure in answer["batchItemFailures"]]
    sequence_numbers = [record["dynamodb"]["SequenceNumber"] for record in batch["Records"]]
    assert len(failures) == 1
    retry = {"Records": batch["Records"][sequence_numbers.index(failures[0]) :]}
    assert worker.invoke(retry) == {"batchItemFailures": []}

    closed = [
        unquote(call.path).rsplit("/", 1)[-1]
        for call in aws_calls.of("apigatewaymanagementapi", "DeleteConnection")
    ]
    assert closed.count("anna-tab") == 1
    assert closed.count("ben-tab") == 2  # the failed attempt, then the retry
    for who in ("anna", "ben"):
        person = firm.people[who]
        assert connections.of_subject(person.firm_id, person.subject) == []
