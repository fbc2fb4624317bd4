"""WebSocket messages: routes on the frame's `action` and answers through the Management API.

The principal is loaded afresh for every frame (the connection's context only names the
sign-in): someone whose access ended is refused and their socket closed, even if the
stream worker has not closed it yet.
"""

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.adapters.connections import ConnectionPusher
from firmchat.adapters.people import DynamoPeopleStore
from firmchat.domain.caller import Caller
from firmchat.domain.principal import Principal
from firmchat.errors import FirmchatError, InvalidInputError, NotAuthenticatedError
from firmchat.observability import lambda_entry
from firmchat.responses import error_body, proxy_response
from firmchat.services.identity import Authenticator

pusher = ConnectionPusher()
authenticator = Authenticator(DynamoPeopleStore())

type Action = Callable[[Principal, dict[str, Any]], dict[str, Any]]


def ping(principal: Principal, frame: dict[str, Any]) -> dict[str, Any]:
    return {"type": "pong", "echo": frame.get("echo")}


ACTIONS: dict[str, Action] = {"ping": ping}


def _parse(body: str | None) -> dict[str, Any]:
    try:
        frame = json.loads(body or "")
    except json.JSONDecodeError as error:
        raise InvalidInputError("a frame must be a JSON object with an 'action'") from error
    if not isinstance(frame, dict):
        raise InvalidInputError("a frame must be a JSON object with an 'action'")
    return frame


def _principal(request: dict[str, Any]) -> Principal:
    context = request.get("authorizer") or {}
    return authenticator.principal_for(
        Caller(firm_id=str(context.get("firm_id", "")), subject=str(context.get("subject", "")))
    )


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    connection_id = event["requestContext"]["connectionId"]
    try:
        principal = _principal(event["requestContext"])
    except NotAuthenticatedError as error:
        pusher.push(connection_id, {"type": "error", **error_body(error)})
        pusher.close(connection_id)
        return proxy_response(200)
    try:
        frame = _parse(event.get("body"))
        action = ACTIONS.get(str(frame.get("action")))
        if action is None:
            raise InvalidInputError(f"unknown action; known actions: {', '.join(sorted(ACTIONS))}")
        reply = action(principal, frame)
    except FirmchatError as error:
        reply = {"type": "error", **error_body(error)}
    pusher.push(connection_id, reply)
    return proxy_response(200)
