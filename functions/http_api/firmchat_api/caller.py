"""Who is calling: the claims API Gateway's JWT authorizer verified, then the one principal
the firm's records say that sign-in is (never anything a request body says)."""

from typing import Annotated, Any

from fastapi import Depends, Request

from firmchat.domain.caller import Caller
from firmchat.domain.principal import Principal
from firmchat_api.wiring import authenticator


def _verified_caller(request: Request) -> Caller:
    event: dict[str, Any] = request.scope.get("aws.event", {})
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims", {})
    return Caller.from_jwt_claims(claims)


CurrentCaller = Annotated[Caller, Depends(_verified_caller)]


def _current_principal(caller: CurrentCaller) -> Principal:
    return authenticator.principal_for(caller)


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]


def _enrolling_principal(caller: CurrentCaller) -> Principal:
    return authenticator.principal_for(caller, enrolling=True)


# Also a firm user who must enrol MFA first: only for what they need to enrol.
EnrollingPrincipal = Annotated[Principal, Depends(_enrolling_principal)]
