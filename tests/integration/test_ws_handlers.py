"""The WebSocket functions, fed the sample events in events/ as API Gateway would."""

from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from firmchat.domain.caller import Caller
from firmchat.domain.keys import connections_partition
from firmchat.root import Root
from tests.support.sockets import pushed_frames

FIRM = "firm-demo"
SUBJECT = "8f1c2f6e-0000-4000-8000-000000000001"


def _authorizer_event(event, ticket: str) -> dict[str, Any]:
    request: dict[str, Any] = event("ws_authorizer/connect_with_ticket.json")
    request["queryStringParameters"] = {"ticket": ticket}
    return request


def _connections_of(firm_id: str, table_name: str) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(table_name)
    return table.query(KeyConditionExpression=Key("PK").eq(connections_partition(firm_id)))["Items"]


def test_a_valid_ticket_is_allowed_and_carries_the_caller(lambda_function, event, demo_owner):
    ticket = Root().tickets.issue(Caller(firm_id=FIRM, subject=SUBJECT))
    request = _authorizer_event(event, ticket)

    decision = lambda_function("WsAuthorizerFunction").invoke(request)

    statement = decision["policyDocument"]["Statement"][0]
    assert statement == {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": request["methodArn"],
    }
    assert decision["context"] == {
        "firm_id": FIRM,
        "subject": SUBJECT,
        "user_id": demo_owner.user_id,
        "kind": "firm_user",
    }


def test_a_ticket_opens_one_connection_only(lambda_function, event, demo_owner):
    authorizer = lambda_function("WsAuthorizerFunction")
    ticket = Root().tickets.issue(Caller(firm_id=FIRM, subject=SUBJECT))

    first = authorizer.invoke(_authorizer_event(event, ticket))
    replayed = authorizer.invoke(_authorizer_event(event, ticket))

    assert first["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert replayed["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert "context" not in replayed


@pytest.mark.parametrize("ticket", ["", "firm-demo.", "firm-demo.not-issued", "no-dot-at-all"])
def test_missing_or_unknown_tickets_are_denied(lambda_function, event, ticket):
    decision = lambda_function("WsAuthorizerFunction").invoke(_authorizer_event(event, ticket))

    assert decision["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_a_ticket_names_its_firm_and_cannot_be_redeemed_as_another(
    lambda_function, event, core_settings
):
    ticket = Root().tickets.issue(Caller(firm_id=FIRM, subject=SUBJECT))
    forged = "firm-other." + ticket.split(".", 1)[1]

    decision = lambda_function("WsAuthorizerFunction").invoke(_authorizer_event(event, forged))

    assert decision["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_connect_records_and_disconnect_forgets_the_connection(
    lambda_function, event, core_settings
):
    table_name = core_settings.resolve({"Ref": "ChatTable"})
    connect = event("ws_connect/connect.json")

    assert lambda_function("WsConnectFunction").invoke(connect)["statusCode"] == 200
    (record,) = _connections_of(FIRM, table_name)
    assert record["subject"] == SUBJECT
    assert record["expires_at"] > record["connected_at"]

    disconnect = event("ws_disconnect/disconnect.json")
    assert disconnect["requestContext"]["connectionId"] == connect["requestContext"]["connectionId"]
    assert lambda_function("WsDisconnectFunction").invoke(disconnect)["statusCode"] == 200
    assert _connections_of(FIRM, table_name) == []


def test_a_ticket_of_someone_without_active_access_is_denied(lambda_function, event, core_settings):
    ticket = Root().tickets.issue(Caller(firm_id=FIRM, subject=SUBJECT))

    decision = lambda_function("WsAuthorizerFunction").invoke(_authorizer_event(event, ticket))

    assert decision["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_ping_is_answered_with_pong_through_the_management_api(lambda_function, event, demo_owner):
    request = event("ws_default/ping.json")

    response = lambda_function("WsDefaultFunction").invoke(request)

    assert response["statusCode"] == 200
    assert pushed_frames(request["requestContext"]["connectionId"]) == [
        {"type": "pong", "echo": "hello"}
    ]


@pytest.mark.parametrize(
    ("body", "code", "message_part"),
    [
        ("not json", "malformed_request", "JSON object"),
        ("[1, 2]", "malformed_request", "JSON object"),
        (
            '{"action": "fly"}',
            "invalid_input",
            "unknown action; known actions: add_tasks, delete_task, mark_read, ping",
        ),
        ('{"echo": "no action"}', "invalid_input", "unknown action"),
    ],
)
def test_bad_frames_get_an_error_frame_not_a_failure(
    lambda_function, event, demo_owner, body, code, message_part
):
    request = event("ws_default/ping.json")
    request["body"] = body

    response = lambda_function("WsDefaultFunction").invoke(request)

    assert response["statusCode"] == 200
    (frame,) = pushed_frames(request["requestContext"]["connectionId"])
    assert frame["type"] == "error"
    assert frame["problem"]["code"] == code
    assert message_part in frame["problem"]["detail"]
