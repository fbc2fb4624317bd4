"""Per person limits (docs/security.md, "Abuse limits"): open sockets, tickets a minute,
typing relays; and a push reaches every connection of the firm however many pages they
fill."""

import copy
from typing import Any

from firmchat.adapters.connections import SOCKETS_PER_PERSON
from firmchat.adapters.tickets import TICKETS_PER_MINUTE
from firmchat.domain.caller import Caller
from firmchat.root import Root
from tests.support.api import HttpApi, SignIn

FIRM = "firm-demo"
SUBJECT = "8f1c2f6e-0000-4000-8000-000000000001"


def _connect(lambda_function, event, connection_id: str) -> dict[str, Any]:
    request = copy.deepcopy(event("ws_connect/connect.json"))
    request["requestContext"]["connectionId"] = connection_id
    request["requestContext"]["authorizer"] = {"firm_id": FIRM, "subject": SUBJECT}
    return dict(lambda_function("WsConnectFunction").invoke(request))


def test_a_person_opens_at_most_so_many_sockets_and_a_closed_one_frees_its_place(
    lambda_function, event, core_settings
):
    for number in range(SOCKETS_PER_PERSON):
        assert _connect(lambda_function, event, f"tab-{number}")["statusCode"] == 200

    refused = _connect(lambda_function, event, "tab-one-too-many")

    assert refused["statusCode"] == 429
    assert "at most 10 open connections" in refused["body"]
    connections = Root().connections
    assert len(connections.of_subject(FIRM, SUBJECT)) == SOCKETS_PER_PERSON
    connections.forget(FIRM, SUBJECT, "tab-0")
    assert _connect(lambda_function, event, "tab-one-too-many")["statusCode"] == 200


def test_held_sockets_whose_records_are_gone_do_not_count(lambda_function, event, core_settings):
    for number in range(SOCKETS_PER_PERSON):
        assert _connect(lambda_function, event, f"tab-{number}")["statusCode"] == 200
    table = Root().table
    for number in range(3):  # records gone without a $disconnect (expired)
        record = {"PK": f"FIRM#{FIRM}#CONNECTIONS", "SK": f"SUB#{SUBJECT}#CONN#tab-{number}"}
        table.delete_item(Key=record)

    assert _connect(lambda_function, event, "tab-new")["statusCode"] == 200
    assert len(Root().connections.of_subject(FIRM, SUBJECT)) == SOCKETS_PER_PERSON - 2


def test_tickets_beyond_the_minute_s_limit_are_a_429(demo_owner, lambda_function):
    api = HttpApi(lambda_function("HttpApiFunction"))
    owner = SignIn(FIRM, demo_owner.subject or "")
    answers = [api.call("POST", "/ws-tickets", owner) for _ in range(TICKETS_PER_MINUTE + 1)]

    assert [answer.status for answer in answers[:-1]] == [201] * TICKETS_PER_MINUTE
    assert answers[-1].status == 429
    assert "WebSocket tickets a minute" in answers[-1].body["detail"]


def test_the_firm_s_connections_are_read_past_one_page(core_settings):
    root = Root()
    for number in range(30):
        root.connections.register(Caller(firm_id=FIRM, subject=f"sub-{number:02d}"), f"c-{number}")
    events = root.table.meta.client.meta.events

    def small_pages(params: dict[str, Any], **_: Any) -> None:
        params["Limit"] = 7  # as if each page were DynamoDB's 1 MB

    events.register("provide-client-params.dynamodb.Query", small_pages)
    try:
        assert len(root.connections.of_firm(FIRM)) == 30
    finally:
        events.unregister("provide-client-params.dynamodb.Query", small_pages)
