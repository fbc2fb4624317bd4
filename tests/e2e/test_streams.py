"""A change in the chat table reaches the stream worker through the local event source
mapping: turning a contact's portal access off closes their open WebSocket, also after a
cancelled transaction (which once left the poller on a shard no table had)."""

from collections.abc import Callable
from typing import Any

import jwt
import pytest
from boto3.dynamodb.types import TypeSerializer
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from firmchat.adapters.items.people import contact_key, login_key
from localcloud.cloud import Endpoints

WAIT_SECONDS = 60


def _contact_key(
    aws_client: Callable[..., Any], endpoints: Endpoints, firm_id: str, token: str
) -> Any:
    """The contact's item, found as the product finds it: from the token's subject to the
    login, from the login to the contact."""
    subject = jwt.decode(token, options={"verify_signature": False})["sub"]
    login = aws_client("dynamodb").get_item(
        TableName=endpoints.resources["ChatTable"],
        Key=TypeSerializer().serialize(login_key(firm_id, subject))["M"],
    )["Item"]
    key = contact_key(firm_id, login["account_id"]["S"], login["user_id"]["S"])
    return TypeSerializer().serialize(key)["M"]


def test_a_stream_record_reaches_the_worker(endpoints, http, id_token, aws_client, firm_id):
    token = id_token("contact of Lovelace")
    ticket = http.post("/ws-tickets", headers={"Authorization": f"Bearer {token}"}).json()
    contact = _contact_key(aws_client, endpoints, firm_id, token)

    with connect(f"{endpoints.websocket}?ticket={ticket['ticket']}", open_timeout=30) as socket:
        aws_client("dynamodb").update_item(
            TableName=endpoints.resources["ChatTable"],
            Key=contact,
            UpdateExpression="SET portal_access = :off",
            ExpressionAttributeValues={":off": {"BOOL": False}},
        )

        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=WAIT_SECONDS)


def test_the_stream_goes_on_after_a_cancelled_transaction(
    endpoints, http, id_token, aws_client, firm_id
):
    owner = {"Authorization": f"Bearer {id_token('owner')}"}
    token = id_token("contact of Babbage")
    ticket = http.post("/ws-tickets", headers={"Authorization": f"Bearer {token}"}).json()
    contact = _contact_key(aws_client, endpoints, firm_id, token)

    # The admin's address signs in as the admin already: the invitation's transaction (a
    # user, its login, the invitation) is cancelled on the login's condition.
    taken = http.post(
        "/users",
        headers=owner,
        json={"email": "adam.admin@demo-firm.example", "name": "Adam Again"},
    )
    assert taken.status_code == 409, taken.text

    with connect(f"{endpoints.websocket}?ticket={ticket['ticket']}", open_timeout=30) as socket:
        aws_client("dynamodb").update_item(
            TableName=endpoints.resources["ChatTable"],
            Key=contact,
            UpdateExpression="SET portal_access = :off",
            ExpressionAttributeValues={":off": {"BOOL": False}},
        )

        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=WAIT_SECONDS)
