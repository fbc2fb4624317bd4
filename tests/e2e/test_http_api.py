"""The HTTP gateway over real sockets: routes from the template, the stage in the path, and
the JWT authorizer checking tokens against the local user pool's keys."""

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from localcloud.cloud import Endpoints

UNAUTHORIZED = {"message": "Unauthorized"}


def test_health_answers_without_a_token(http):
    response = http.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_token_from_the_local_user_pool_reaches_the_handler(http, id_token, endpoints):
    response = http.get("/me", headers={"Authorization": f"Bearer {id_token('owner')}"})

    assert response.status_code == 200, response.text
    me = response.json()
    assert me["firm_id"] == endpoints.demo_firm_id
    assert me["role"] == "owner"


def test_an_unknown_route_is_not_found_as_api_gateway_says_it(http):
    response = http.get("/no-such-route")

    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def _claims(endpoints: Endpoints, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "8f1c2f6e-0000-4000-8000-000000000001",
        "custom:firm_id": endpoints.demo_firm_id,
        "token_use": "id",
        "aud": endpoints.resources["FirmPortalClient"],
        "iss": f"https://cognito-idp.{endpoints.region}.amazonaws.com/"
        f"{endpoints.resources['UserPool']}",
        "iat": now,
        "exp": now + 3600,
    }
    return {**claims, **changes}


def _pool_key() -> tuple[Any, str]:
    """The local pool's signing key: moto publishes it, which lets a test forge what only a
    clock or a wrong audience should make invalid."""
    key = load_resource("cognitoidp/resources/jwks-private.json")
    return jwt.PyJWK(key).key, key["kid"]


def _signed_by_the_pool(claims: dict[str, Any]) -> str:
    key, kid = _pool_key()
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def _signed_by_a_stranger(claims: dict[str, Any]) -> str:
    _, kid = _pool_key()
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid})


BAD_TOKENS: dict[str, Callable[[Endpoints], str | None]] = {
    "missing": lambda endpoints: None,
    "malformed": lambda endpoints: "Bearer not.a.jwt",
    "expired": lambda endpoints: (
        "Bearer " + _signed_by_the_pool(_claims(endpoints, iat=1_700_000_000, exp=1_700_003_600))
    ),
    "foreign-signed": lambda endpoints: "Bearer " + _signed_by_a_stranger(_claims(endpoints)),
    "other audience": lambda endpoints: (
        "Bearer " + _signed_by_the_pool(_claims(endpoints, aud="someone-elses-client"))
    ),
    "other issuer": lambda endpoints: (
        "Bearer " + _signed_by_the_pool(_claims(endpoints, iss="https://issuer.example"))
    ),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_bad_token_gets_401_as_api_gateway_answers_it(http, endpoints, kind):
    header = BAD_TOKENS[kind](endpoints)
    headers = {"Authorization": header} if header else {}

    response = http.get("/me", headers=headers)

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_a_token_signed_by_the_pool_with_valid_claims_passes(http, endpoints, id_token):
    """The forged-token cases above fail for their one flaw, not for being forged."""
    real = jwt.decode(id_token("owner"), options={"verify_signature": False})
    token = _signed_by_the_pool(_claims(endpoints, sub=real["sub"]))

    response = http.get("/me", headers={"Authorization": token})

    assert response.status_code == 200, response.text


def test_the_portal_origin_passes_the_cors_preflight(http, endpoints):
    response = http.options(
        "/me",
        headers={
            "Origin": endpoints.portal,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == endpoints.portal
