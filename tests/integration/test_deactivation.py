"""Access that ends takes effect at once: the person's open sockets are closed (the
management API's DeleteConnection, once for each) and every later request is refused."""

import json
from urllib.parse import unquote

import pytest

from firmchat.domain.principal import Role
from firmchat.root import Root
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn, ws_event
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-client")
MEMBER = SignIn(FIRM, "sub-member")


@pytest.fixture
def world(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    seeder.firm_user(FIRM, "member-1", MEMBER.subject, Role.MEMBER, assigned=["acct-1"])
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    connect = lambda_function("WsConnectFunction")
    sockets = {CLIENT: ["client-tab-1", "client-tab-2"], MEMBER: ["member-tab-1"]}
    for sign_in, connection_ids in sockets.items():
        for connection_id in connection_ids:
            event = ws_event(connection_id, sign_in, {})
            event["requestContext"]["routeKey"] = "$connect"
            connect.invoke(event)
    return {
        "api": HttpApi(lambda_function("HttpApiFunction")),
        "worker": lambda_function("StreamWorkerFunction"),
        "ws": lambda_function("WsDefaultFunction"),
        "stream": stream,
    }


def _closed_connections(aws_calls) -> list[str]:
    return [
        unquote(call.path).rsplit("/", 1)[-1]
        for call in aws_calls.of("apigatewaymanagementapi", "DeleteConnection")
    ]


def _open_connections(sign_in: SignIn) -> list[str]:
    return Root().connections.of_subject(sign_in.firm_id, sign_in.subject)


def _run_stream_worker(world) -> None:
    answer = world["worker"].invoke(world["stream"].event())
    assert answer == {"batchItemFailures": []}


def test_a_client_whose_portal_access_is_turned_off_loses_sockets_and_requests(world, aws_calls):
    api = world["api"]
    assert api.call("GET", "/me", CLIENT).status == 200

    turned_off = api.call(
        "PATCH", "/accounts/acct-1/contacts/contact-1", OWNER, {"portal_access": False}
    )
    _run_stream_worker(world)

    assert turned_off.status == 200
    assert sorted(_closed_connections(aws_calls)) == ["client-tab-1", "client-tab-2"]
    assert _open_connections(CLIENT) == []
    assert _open_connections(MEMBER) == ["member-tab-1"]
    assert api.call("GET", "/me", CLIENT).status == 401
    assert api.call("POST", "/ws-tickets", CLIENT).status == 401
    assert api.call("GET", "/accounts/acct-1", CLIENT).status == 401


def test_a_frame_on_a_socket_the_worker_has_not_closed_yet_is_refused_and_closes_it(
    world, aws_calls
):
    world["api"].call(
        "PATCH", "/accounts/acct-1/contacts/contact-1", OWNER, {"portal_access": False}
    )

    world["ws"].invoke(ws_event("client-tab-1", CLIENT, {"action": "ping"}))

    assert _closed_connections(aws_calls) == ["client-tab-1"]
    (pushed,) = aws_calls.of("apigatewaymanagementapi", "PostToConnection")
    assert "client-tab-1" in unquote(pushed.path)


def test_a_removed_firm_user_loses_sockets_and_requests(world, aws_calls):
    api = world["api"]

    removed = api.call("PATCH", "/users/member-1", OWNER, {"active": False})
    _run_stream_worker(world)

    assert removed.status == 200
    assert removed.body["active"] is False
    assert _closed_connections(aws_calls) == ["member-tab-1"]
    assert _open_connections(CLIENT) == ["client-tab-1", "client-tab-2"]
    assert api.call("GET", "/me", MEMBER).status == 401


def test_a_removed_contact_loses_sockets_and_their_login(world, aws_calls):
    api = world["api"]

    removed = api.call("DELETE", "/accounts/acct-1/contacts/contact-1", OWNER)
    _run_stream_worker(world)

    assert removed.status == 204
    assert sorted(_closed_connections(aws_calls)) == ["client-tab-1", "client-tab-2"]
    assert api.call("GET", "/me", CLIENT).status == 401


def test_access_turned_back_on_works_again_without_a_new_invitation(world):
    api = world["api"]
    path = "/accounts/acct-1/contacts/contact-1"
    api.call("PATCH", path, OWNER, {"portal_access": False})

    api.call("PATCH", path, OWNER, {"portal_access": True})

    me = api.call("GET", "/me", CLIENT)
    assert me.status == 200
    assert me.body["kind"] == "client_user"


def test_changes_that_keep_access_close_nothing(world, aws_calls):
    world["api"].call("PATCH", "/accounts/acct-1/contacts/contact-1", OWNER, {"notify": False})
    world["api"].call("PATCH", "/users/member-1", OWNER, {"name": "Member Renamed"})

    _run_stream_worker(world)

    assert _closed_connections(aws_calls) == []


def test_a_failing_record_is_reported_for_retry_and_the_rest_still_done(world):
    world["api"].call(
        "PATCH", "/accounts/acct-1/contacts/contact-1", OWNER, {"portal_access": False}
    )
    event = world["stream"].event()
    poisoned = json.loads(json.dumps(event["Records"][-1]))
    poisoned["eventID"] = "poisoned"
    poisoned["dynamodb"]["SequenceNumber"] = "1"
    poisoned["dynamodb"]["OldImage"]["firm_id"] = {"NULL": True}
    event["Records"].insert(0, poisoned)

    answer = world["worker"].invoke(event)

    assert answer == {"batchItemFailures": [{"itemIdentifier": "1"}]}
    assert _open_connections(CLIENT) == []
