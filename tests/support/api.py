"""Drives the HTTP API and the WebSocket functions with the events API Gateway would send,
signed in as a given subject (the claims API Gateway's JWT authorizer would have verified)."""

import json
from dataclasses import dataclass
from typing import Any

from localcloud.lambdas import LocalFunction

STAGE = "dev"


@dataclass(frozen=True)
class SignIn:
    firm_id: str
    subject: str


def http_event(
    method: str, path: str, sign_in: SignIn | None = None, body: Any = None
) -> dict[str, Any]:
    path_only, _, query = path.partition("?")
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "httpapi01",
        "domainName": "api.firmchat.example",
        "domainPrefix": "api",
        "http": {
            "method": method,
            "path": f"/{STAGE}{path_only}",
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.10",
            "userAgent": "tests",
        },
        "requestId": f"{method}-{path_only}",
        "routeKey": f"{method} {path_only}",
        "stage": STAGE,
        "time": "23/Nov/2026:10:00:00 +0000",
        "timeEpoch": 1795514400000,
    }
    if sign_in is not None:
        context["authorizer"] = {
            "jwt": {
                "claims": {"sub": sign_in.subject, "custom:firm_id": sign_in.firm_id},
                "scopes": None,
            }
        }
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path_only}",
        "rawPath": f"/{STAGE}{path_only}",
        "rawQueryString": query,
        "headers": {"accept": "application/json", "host": "api.firmchat.example"},
        "requestContext": context,
        "isBase64Encoded": False,
    }
    if body is not None:
        event["headers"]["content-type"] = "application/json"
        event["body"] = json.dumps(body)
    return event


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    content_type: str | None = None


class HttpApi:
    def __init__(self, function: LocalFunction) -> None:
        self._function = function

    def call(
        self, method: str, path: str, sign_in: SignIn | None = None, body: Any = None
    ) -> Answer:
        return self._answer(http_event(method, path, sign_in, body))

    def call_raw(self, method: str, path: str, sign_in: SignIn | None, raw: str) -> Answer:
        """A body sent exactly as given, JSON or not."""
        event = http_event(method, path, sign_in)
        event["headers"]["content-type"] = "application/json"
        event["body"] = raw
        return self._answer(event)

    def _answer(self, event: dict[str, Any]) -> Answer:
        response = self._function.invoke(event)
        raw = response.get("body") or ""
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        content_type = headers.get("content-type")
        html = (content_type or "").startswith("text/html")
        return Answer(
            status=response["statusCode"],
            body=raw if html else json.loads(raw) if raw else None,
            content_type=content_type,
        )


def ws_event(connection_id: str, sign_in: SignIn, body: Any) -> dict[str, Any]:
    """A `$default` message on a connection whose authorizer context names the sign-in."""
    return {
        "requestContext": {
            "routeKey": "$default",
            "eventType": "MESSAGE",
            "messageDirection": "IN",
            "stage": STAGE,
            "connectionId": connection_id,
            "apiId": "localws",
            "requestId": f"ws-{connection_id}",
            "domainName": "ws.firmchat.example",
            "authorizer": {"firm_id": sign_in.firm_id, "subject": sign_in.subject},
        },
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }
