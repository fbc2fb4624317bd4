"""The WebSocket gateway over real sockets: the ticket authorizer on $connect, routing to the
functions, pushes through the management API from a plain boto3 client, and 410 once the
socket is closed."""

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from firmchat.domain.keys import connections_partition
from localcloud.cloud import Endpoints

WAIT_SECONDS = 30


def _ticket(http: httpx.Client, token: str) -> str:
    response = http.post("/ws-tickets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    return str(response.json()["ticket"])


def _open(endpoints: Endpoints, http: httpx.Client, token: str) -> ClientConnection:
    return connect(f"{endpoints.websocket}?ticket={_ticket(http, token)}", open_timeout=30)


def _connection_ids(
    aws_client: Callable[..., Any], endpoints: Endpoints, firm_id: str
) -> dict[str, Any]:
    """The ids $connect recorded for the firm (the only place a connection id is told)."""
    items = aws_client("dynamodb").query(
        TableName=endpoints.resources["ChatTable"],
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": connections_partition(firm_id)}},
    )["Items"]
    return {item["connection_id"]["S"]: item for item in items}


def _eventually(check: Callable[[], bool]) -> bool:
    """Polls until `check` returns something truthy (the worker runs on its own thread)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.fixture
def management(aws_client, endpoints):
    return aws_client("apigatewaymanagementapi", endpoint_url=endpoints.management_api)


def test_a_ping_is_answered_through_the_management_api(endpoints, http, id_token):
    with _open(endpoints, http, id_token("owner")) as socket:
        socket.send(json.dumps({"action": "ping", "echo": "hello"}))

        assert json.loads(socket.recv(timeout=WAIT_SECONDS)) == {"type": "pong", "echo": "hello"}


def test_a_push_from_boto3_reaches_the_socket_and_410_follows_its_close(
    endpoints, http, id_token, aws_client, management, firm_id
):
    before = set(_connection_ids(aws_client, endpoints, firm_id))
    with _open(endpoints, http, id_token("admin")) as socket:
        (connection_id,) = set(_connection_ids(aws_client, endpoints, firm_id)) - before
        assert len(connection_id) == 16
        assert connection_id.endswith("=")

        management.post_to_connection(ConnectionId=connection_id, Data=b'{"type":"hello"}')
        assert json.loads(socket.recv(timeout=WAIT_SECONDS)) == {"type": "hello"}
        info = management.get_connection(ConnectionId=connection_id)
        assert info["Identity"]["SourceIp"] == "127.0.0.1"

    assert _eventually(
        lambda: connection_id not in _connection_ids(aws_client, endpoints, firm_id)
    ), "$disconnect did not forget the connection"
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId=connection_id, Data=b"{}")


def test_the_management_api_closes_a_connection(
    endpoints, http, id_token, aws_client, management, firm_id
):
    before = set(_connection_ids(aws_client, endpoints, firm_id))
    with _open(endpoints, http, id_token("owner")) as socket:
        (connection_id,) = set(_connection_ids(aws_client, endpoints, firm_id)) - before

        management.delete_connection(ConnectionId=connection_id)

        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=WAIT_SECONDS)


@pytest.mark.parametrize(
    ("query", "status"),
    [("", 401), ("?ticket=", 401), ("?ticket=firm.not-a-real-secret", 403)],
    ids=["no ticket", "empty ticket", "unknown ticket"],
)
def test_a_socket_without_a_valid_ticket_is_refused(endpoints, query, status):
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{endpoints.websocket}{query}", open_timeout=30)

    assert refused.value.response.status_code == status


def test_a_ticket_opens_one_socket_only(endpoints, http, id_token):
    ticket = _ticket(http, id_token("owner"))
    with (
        connect(f"{endpoints.websocket}?ticket={ticket}", open_timeout=30),
        pytest.raises(InvalidStatus) as refused,
    ):
        connect(f"{endpoints.websocket}?ticket={ticket}", open_timeout=30)

    assert refused.value.response.status_code == 403


def test_a_frame_over_32_kb_closes_the_socket_with_1009(endpoints, http, id_token):
    with _open(endpoints, http, id_token("owner")) as socket:
        socket.send(json.dumps({"action": "ping", "echo": "x" * 40_000}))

        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=WAIT_SECONDS)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
