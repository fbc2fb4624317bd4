"""The HTTP API's JWT authorizer, as API Gateway runs it: the token from the identity source
(with or without `Bearer `), signature checked against the issuer's JWKS, `iss`, `exp`,
`nbf`, and `aud` (or an access token's `client_id`) among the configured audiences."""

from collections.abc import Mapping, Sequence
from typing import Any

import jwt

from localcloud.template import Resolver

# Cognito's issuer names the AWS host; the local user pool's keys are served by moto.
_COGNITO_HOST = "https://cognito-idp.{region}.amazonaws.com"


class JwtAuthorizer:
    def __init__(
        self,
        issuer: str,
        audiences: Sequence[str],
        identity_source: str,
        moto_endpoint: str,
        region: str,
    ) -> None:
        self.issuer = issuer
        self._audiences = frozenset(audiences)
        # "$request.header.Authorization" -> the header to read (HTTP headers are caseless).
        self._header = identity_source.rsplit(".", 1)[-1].lower()
        cognito_host = _COGNITO_HOST.format(region=region)
        key_host = issuer.replace(cognito_host, moto_endpoint, 1)
        self._keys = jwt.PyJWKClient(f"{key_host}/.well-known/jwks.json", cache_keys=True)

    @classmethod
    def from_template(
        cls, configuration: Mapping[str, Any], resolver: Resolver, moto_endpoint: str
    ) -> "JwtAuthorizer":
        """One entry of an HttpApi's `Auth.Authorizers` (SAM's JWT authorizer shape)."""
        jwt_configuration = resolver.resolve(configuration["JwtConfiguration"])
        return cls(
            issuer=jwt_configuration["issuer"],
            audiences=jwt_configuration.get("audience", []),
            identity_source=configuration.get("IdentitySource", "$request.header.Authorization"),
            moto_endpoint=moto_endpoint,
            region=resolver.region,
        )

    def claims(self, headers: Mapping[str, str], scopes: Sequence[str]) -> dict[str, Any] | None:
        """The verified claims, or None when API Gateway would answer 401."""
        token = headers.get(self._header, "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            return None
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_aud": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        audience = claims.get("aud", claims.get("client_id")) or []
        if not self._audiences.intersection([audience] if isinstance(audience, str) else audience):
            return None
        if scopes and not set(scopes) & set(str(claims.get("scope", "")).split()):
            return None
        return claims


def stringified(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as API Gateway hands them to the integration: every value a string, lists as
    `[a b]`."""

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, list):
            return "[" + " ".join(text(item) for item in value) + "]"
        return str(value)

    return {name: text(value) for name, value in claims.items()}
