"""Who is calling, as the authorizers vouch for it (never as a request body claims)."""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from firmchat.errors import NotAuthenticatedError

FIRM_CLAIM = "custom:firm_id"


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    firm_id: str
    subject: str

    @classmethod
    def from_jwt_claims(cls, claims: Mapping[str, Any]) -> "Caller":
        """Claims verified by the HTTP API's JWT authorizer (Cognito ID token)."""
        firm_id, subject = claims.get(FIRM_CLAIM), claims.get("sub")
        if not isinstance(firm_id, str) or not firm_id or not isinstance(subject, str):
            raise NotAuthenticatedError("the token does not name a firm user or client user")
        return cls(firm_id=firm_id, subject=subject)
