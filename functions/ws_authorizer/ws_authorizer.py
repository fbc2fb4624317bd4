"""WebSocket `$connect` authorizer: redeems a single-use ticket from the HTTP API and
resolves the principal it was issued to (who must still be active).

The context it returns rides along with every later event of the connection, so `$default`
and `$disconnect` know the caller without a lookup keyed by connection id alone;
`$default` still loads the principal afresh at every action.
"""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from firmchat.errors import ForbiddenError, NotAuthenticatedError
from firmchat.observability import lambda_entry, logger
from firmchat.root import root

tickets = root().tickets
authenticator = root().authenticator


def _policy(effect: str, resource: str, principal: str) -> dict[str, Any]:
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


@lambda_entry(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    ticket = (event.get("queryStringParameters") or {}).get("ticket", "")
    try:
        principal = authenticator.principal_for(tickets.redeem(ticket))
    except (NotAuthenticatedError, ForbiddenError) as denied:
        logger.info("connection refused", extra={"reason": denied.message})
        return _policy("Deny", event["methodArn"], "anonymous")
    allowed = _policy("Allow", event["methodArn"], principal.subject)
    allowed["context"] = {
        "firm_id": principal.firm_id,
        "subject": principal.subject,
        "user_id": principal.user_id,
        "kind": principal.kind.value,
    }
    return allowed
