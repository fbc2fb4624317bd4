"""The caller of a request, from the claims API Gateway's JWT authorizer verified."""

from typing import Annotated, Any

from fastapi import Depends, Request

from firmchat.domain.caller import Caller


def _verified_caller(request: Request) -> Caller:
    event: dict[str, Any] = request.scope.get("aws.event", {})
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims", {})
    return Caller.from_jwt_claims(claims)


CurrentCaller = Annotated[Caller, Depends(_verified_caller)]
