"""WebSocket `$connect`: records the connection under the caller's firm, or refuses it (429)
when the person holds as many open sockets as one may."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.domain.caller import Caller
from firmchat.errors import TooManyRequestsError
from firmchat.observability import lambda_entry
from firmchat.responses import error_response, proxy_response
from firmchat.root import root

connections = root().connections


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    context_of_ticket = event["requestContext"]["authorizer"]
    caller = Caller(firm_id=context_of_ticket["firm_id"], subject=context_of_ticket["subject"])
    try:
        connections.register(caller, event["requestContext"]["connectionId"])
    except TooManyRequestsError as error:
        return error_response(error)
    return proxy_response(200)
