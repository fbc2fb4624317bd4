"""WebSocket messages: routes on the frame's `action` and answers through the Management API.

The principal is loaded afresh for every frame (the connection's context only names the
sign-in): someone whose access ended is refused and their socket closed, even if the
stream worker has not closed it yet.

Each action reads its frame into a model (unknown fields refused, as on the HTTP API),
calls the same core service as the HTTP API, and answers the sender with one frame; a
domain error becomes an error frame through the one error table.
"""

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from firmchat.domain.caller import Caller
from firmchat.domain.principal import Principal
from firmchat.domain.threads import NewMessage
from firmchat.errors import (
    FirmchatError,
    InvalidInputError,
    MalformedRequestError,
    NotAuthenticatedError,
)
from firmchat.observability import lambda_entry
from firmchat.responses import error_frame, proxy_response
from firmchat.root import root

pusher = root().pusher
authenticator = root().authenticator
messages = root().messages

type Action = Callable[[Principal, dict[str, Any]], dict[str, Any]]

ThreadId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ThreadFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str
    thread_id: ThreadId


class SendFrame(ThreadFrame, NewMessage):
    """A message for the thread: the HTTP API's message body plus where it goes."""

    action: Literal["send"]


class MarkReadFrame(ThreadFrame):
    action: Literal["mark_read"]
    up_to: int | None = Field(default=None, ge=1, description="a message number; default all")


class TypingFrame(ThreadFrame):
    action: Literal["typing"]


def _read[Frame: BaseModel](model: type[Frame], frame: dict[str, Any]) -> Frame:
    try:
        return model.model_validate(frame)
    except ValidationError as error:
        raise InvalidInputError.of_problems(
            [
                (".".join(str(part) for part in problem["loc"]), problem["msg"])
                for problem in error.errors()
            ]
        ) from error


def ping(principal: Principal, frame: dict[str, Any]) -> dict[str, Any]:
    return {"type": "pong", "echo": frame.get("echo")}


def send(principal: Principal, frame: dict[str, Any]) -> dict[str, Any]:
    """MS-1 over the socket; `created` is false for a retry of the same client id."""
    request = _read(SendFrame, frame)
    view, created = messages.post(principal, request.thread_id, request)
    return {
        "type": "sent",
        "client_id": view.client_id,
        "created": created,
        "message": view.model_dump(mode="json"),
    }


def mark_read(principal: Principal, frame: dict[str, Any]) -> dict[str, Any]:
    request = _read(MarkReadFrame, frame)
    view = messages.mark_read(principal, request.thread_id, request.up_to)
    return {"type": "marked_read", "thread": view.model_dump(mode="json")}


def typing(principal: Principal, frame: dict[str, Any]) -> dict[str, Any]:
    request = _read(TypingFrame, frame)
    messages.typing(principal, request.thread_id)
    return {"type": "typing_sent", "thread_id": request.thread_id}


ACTIONS: dict[str, Action] = {
    "ping": ping,
    "send": send,
    "mark_read": mark_read,
    "typing": typing,
}


def _parse(body: str | None) -> dict[str, Any]:
    try:
        frame = json.loads(body or "")
    except json.JSONDecodeError as error:
        raise MalformedRequestError("a frame must be a JSON object with an 'action'") from error
    if not isinstance(frame, dict):
        raise MalformedRequestError("a frame must be a JSON object with an 'action'")
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
        pusher.push(connection_id, error_frame(error))
        pusher.close(connection_id)
        return proxy_response(200)
    try:
        frame = _parse(event.get("body"))
        action = ACTIONS.get(str(frame.get("action")))
        if action is None:
            raise InvalidInputError(
                f"unknown action; known actions: {', '.join(sorted(ACTIONS))}", field="action"
            )
        reply = action(principal, frame)
    except FirmchatError as error:
        reply = error_frame(error)
    pusher.push(connection_id, reply)
    return proxy_response(200)
