"""WebSocket `$disconnect`: forgets the connection."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.observability import lambda_entry
from firmchat.responses import proxy_response
from firmchat.root import root

connections = root().connections


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = event["requestContext"]
    authorizer = request["authorizer"]
    connections.forget(authorizer["firm_id"], authorizer["subject"], request["connectionId"])
    return proxy_response(200)
