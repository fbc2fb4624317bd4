"""WebSocket messages: routes on the frame's `action` and answers through the Management API."""

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.adapters.connections import ConnectionPusher
from firmchat.errors import FirmchatError, InvalidInputError
from firmchat.observability import lambda_entry
from firmchat.responses import error_body, proxy_response

pusher = ConnectionPusher()

type Action = Callable[[dict[str, Any]], dict[str, Any]]


def ping(frame: dict[str, Any]) -> dict[str, Any]:
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


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    connection_id = event["requestContext"]["connectionId"]
    try:
        frame = _parse(event.get("body"))
        action = ACTIONS.get(str(frame.get("action")))
        if action is None:
            raise InvalidInputError(f"unknown action; known actions: {', '.join(sorted(ACTIONS))}")
        reply = action(frame)
    except FirmchatError as error:
        reply = {"type": "error", **error_body(error)}
    pusher.push(connection_id, reply)
    return proxy_response(200)
