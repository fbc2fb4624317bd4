"""WebSocket messages: the frame's `action` answered by the core's socket actions
(`firmchat.services.socket_actions`), the reply sent back through the Management API.

The principal is loaded afresh for every frame (the connection's context only names the
sign-in): someone whose access ended is refused and their socket closed, even if the
stream worker has not closed it yet. A domain error becomes an error frame through the one
error table.
"""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.domain.caller import Caller
from firmchat.errors import FirmchatError, MfaRequiredError, NotAuthenticatedError
from firmchat.observability import lambda_entry
from firmchat.responses import error_frame, proxy_response
from firmchat.root import root
from firmchat.services.socket_actions import parse_frame

pusher = root().pusher
authenticator = root().authenticator
socket_actions = root().socket_actions


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = event["requestContext"]
    connection_id = request["connectionId"]
    signed_in = request.get("authorizer") or {}
    try:
        principal = authenticator.principal_for(
            Caller(
                firm_id=str(signed_in.get("firm_id", "")),
                subject=str(signed_in.get("subject", "")),
            )
        )
    except (NotAuthenticatedError, MfaRequiredError) as error:
        pusher.push(connection_id, error_frame(error))
        pusher.close(connection_id)
        return proxy_response(200)
    try:
        reply = socket_actions.answer(principal, parse_frame(event.get("body")))
    except FirmchatError as error:
        reply = error_frame(error)
    pusher.push(connection_id, reply)
    return proxy_response(200)
