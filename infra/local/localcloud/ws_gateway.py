"""The WebSocket gateway: the template's WebSocket API, served as API Gateway serves it.

The opening handshake runs the route's REQUEST authorizer, then `$connect`, and is refused
with their status when either denies. Messages are routed on the route selection expression
(`$request.body.action`) with `$default` as fallback; closing runs `$disconnect`. The limits
are API Gateway's: 32 KB frames, 128 KB messages, 10 minutes idle, 2 hours in all. The
management API (post, get, delete a connection) is served over HTTP by `management_routes`.
"""

import asyncio
import base64
import contextlib
import fnmatch
import json
import logging
import re
import secrets
import string
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request as HandshakeRequest
from websockets.http11 import Response as HandshakeResponse

from localcloud.http_gateway import request_time
from localcloud.lambdas import LocalFunction, LocalFunctions
from localcloud.template import Resolver, resources_of_type

log = logging.getLogger("localcloud.websocket")

FRAME_LIMIT_BYTES = 32 * 1024
MESSAGE_LIMIT_BYTES = 128 * 1024
IDLE_TIMEOUT_SECONDS = 10 * 60
MAX_CONNECTION_SECONDS = 2 * 60 * 60

_ID_ALPHABET = string.ascii_letters + string.digits
_FUNCTION_IN_URI = re.compile(r"functions/(arn:[^/]+)/invocations")


def _new_connection_id() -> str:
    """Random, and shaped like API Gateway's (`Zc1KxdemoAMCJrA=`)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(15)) + "="


def _function_of(uri: str, functions: LocalFunctions) -> LocalFunction:
    found = _FUNCTION_IN_URI.search(uri)
    function = functions.by_arn(found.group(1)) if found else None
    if function is None:
        raise ValueError(f"the local cloud serves no function for the integration {uri}")
    return function


def websocket_api_id(template: Mapping[str, Any]) -> str:
    """The logical id of the template's (one) WebSocket API."""
    (logical_id,) = (
        logical_id
        for logical_id, resource in resources_of_type(template, "AWS::ApiGatewayV2::Api").items()
        if resource["Properties"].get("ProtocolType") == "WEBSOCKET"
    )
    return logical_id


@dataclass(frozen=True)
class RequestAuthorizer:
    function: LocalFunction
    identity_sources: tuple[str, ...]

    def has_identity(self, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
        """API Gateway refuses with 401, without calling the function, when a source is
        missing or empty."""
        lowered = {name.lower(): value for name, value in headers.items()}
        for source in self.identity_sources:
            kind, _, name = source.removeprefix("route.request.").partition(".")
            value = lowered.get(name.lower()) if kind == "header" else query.get(name)
            if not value:
                return False
        return True


@dataclass(frozen=True)
class WebSocketRoute:
    function: LocalFunction
    authorizer: RequestAuthorizer | None


@dataclass(frozen=True)
class WebSocketApi:
    api_id: str
    stage: str
    selection_path: tuple[str, ...]
    routes: Mapping[str, WebSocketRoute]

    @classmethod
    def from_template(cls, resolver: Resolver, functions: LocalFunctions) -> "WebSocketApi":
        template = resolver.template
        logical_id = websocket_api_id(template)
        api = template["Resources"][logical_id]

        def of_this_api(kind: str) -> dict[str, dict[str, Any]]:
            return {
                resource_id: resource["Properties"]
                for resource_id, resource in resources_of_type(template, kind).items()
                if resource["Properties"].get("ApiId") == {"Ref": logical_id}
            }

        integrations = of_this_api("AWS::ApiGatewayV2::Integration")
        authorizers = of_this_api("AWS::ApiGatewayV2::Authorizer")
        routes = {}
        for properties in of_this_api("AWS::ApiGatewayV2::Route").values():
            integration_id = str(resolver.resolve(properties["Target"])).removeprefix(
                "integrations/"
            )
            integration = integrations[integration_id]
            authorizer = None
            if properties.get("AuthorizationType") == "CUSTOM":
                authorizer_properties = authorizers[properties["AuthorizerId"]["Ref"]]
                authorizer = RequestAuthorizer(
                    function=_function_of(
                        resolver.resolve(authorizer_properties["AuthorizerUri"]), functions
                    ),
                    identity_sources=tuple(authorizer_properties.get("IdentitySource", [])),
                )
            routes[properties["RouteKey"]] = WebSocketRoute(
                function=_function_of(resolver.resolve(integration["IntegrationUri"]), functions),
                authorizer=authorizer,
            )
        (stage,) = of_this_api("AWS::ApiGatewayV2::Stage").values()
        expression = api["Properties"].get("RouteSelectionExpression", "$request.body.action")
        return cls(
            api_id=resolver.ref(logical_id),
            stage=str(resolver.resolve(stage["StageName"])),
            selection_path=tuple(expression.removeprefix("$request.body.").split(".")),
            routes=routes,
        )

    def route_key(self, body: str | bytes) -> str:
        """The route a message selects; `$default` when it names none."""
        try:
            value: Any = json.loads(body)
            for key in self.selection_path:
                value = value[key]
        except (ValueError, KeyError, TypeError, IndexError):
            return "$default"
        if not isinstance(value, str) or value in ("$connect", "$disconnect"):
            return "$default"
        return value if value in self.routes else "$default"


@dataclass
class LiveConnection:
    connection_id: str
    socket: ServerConnection
    connected_at_ms: int
    source_ip: str
    user_agent: str
    domain: str
    authorizer_context: dict[str, Any] | None
    last_active_ms: int = field(default=0)


def _policy_allows(policy: Mapping[str, Any], method_arn: str) -> bool:
    """An IAM policy as API Gateway evaluates an authorizer's: an explicit Deny of the
    method wins, otherwise it must be explicitly allowed."""
    statements = policy.get("policyDocument", {}).get("Statement", [])
    allowed = False
    for statement in statements if isinstance(statements, list) else [statements]:
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if not any(fnmatch.fnmatchcase(method_arn, resource) for resource in resources):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


class WebSocketGateway:
    def __init__(self, api: WebSocketApi, region: str, account_id: str) -> None:
        self.api = api
        self._region = region
        self._account_id = account_id
        self._accepted: dict[ServerConnection, LiveConnection] = {}
        self.connections: dict[str, LiveConnection] = {}
        self.idle_timeout_seconds: float = IDLE_TIMEOUT_SECONDS
        # Set when the local cloud stops: sockets then close without running $disconnect.
        self.stopping = False

    async def serve(self, listener: Any) -> Server:
        return await serve(
            self._session,
            sock=listener,
            process_request=self._handshake,
            max_size=(MESSAGE_LIMIT_BYTES, FRAME_LIMIT_BYTES),
            ping_interval=None,
            server_header=None,
        )

    def _request_context(
        self, live: LiveConnection, route_key: str, event_type: str
    ) -> dict[str, Any]:
        now_ms = int(time.time() * 1000)
        context: dict[str, Any] = {
            "routeKey": route_key,
            "eventType": event_type,
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": request_time(now_ms),
            "messageDirection": "IN",
            "stage": self.api.stage,
            "connectedAt": live.connected_at_ms,
            "requestTimeEpoch": now_ms,
            "identity": {"sourceIp": live.source_ip, "userAgent": live.user_agent},
            "requestId": str(uuid.uuid4()),
            "domainName": live.domain,
            "connectionId": live.connection_id,
            "apiId": self.api.api_id,
        }
        if live.authorizer_context is not None:
            context["authorizer"] = live.authorizer_context
        return context

    async def _handshake(
        self, connection: ServerConnection, request: HandshakeRequest
    ) -> HandshakeResponse | None:
        url = urlsplit(request.path)
        if url.path.rstrip("/") != f"/{self.api.stage}":
            return connection.respond(403, '{"message":"Forbidden"}')
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.raw_items():
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        multi_query = parse_qs(url.query, keep_blank_values=True)
        query = {name: values[-1] for name, values in multi_query.items()}
        now_ms = int(time.time() * 1000)
        remote = connection.remote_address
        live = LiveConnection(
            connection_id=_new_connection_id(),
            socket=connection,
            connected_at_ms=now_ms,
            source_ip=str(remote[0]) if remote else "127.0.0.1",
            user_agent=request.headers.get("User-Agent", ""),
            domain=request.headers.get("Host", "localhost").split(":")[0],
            authorizer_context=None,
            last_active_ms=now_ms,
        )
        route = self.api.routes.get("$connect")
        base_event: dict[str, Any] = {
            "headers": headers,
            "multiValueHeaders": multi_headers,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi_query or None,
            "stageVariables": None,
        }
        if route is not None and route.authorizer is not None:
            denied = await self._authorize(route.authorizer, live, base_event, headers, query)
            if denied:
                return connection.respond(denied, json.dumps({"message": _REASONS[denied]}))
        if route is not None:
            event = {
                **base_event,
                "requestContext": self._request_context(live, "$connect", "CONNECT"),
                "isBase64Encoded": False,
            }
            try:
                result = await asyncio.to_thread(route.function.invoke, event)
            except Exception:
                log.exception("$connect failed; the connection is refused")
                return connection.respond(500, json.dumps({"message": _REASONS[500]}))
            status = int(result.get("statusCode", 200)) if isinstance(result, dict) else 200
            if not 200 <= status < 300:
                return connection.respond(status, str(result.get("body") or ""))
        self._accepted[connection] = live
        return None

    async def _authorize(
        self,
        authorizer: RequestAuthorizer,
        live: LiveConnection,
        base_event: Mapping[str, Any],
        headers: Mapping[str, str],
        query: Mapping[str, str],
    ) -> int | None:
        """Runs the REQUEST authorizer; the status to refuse with, or None when allowed."""
        if not authorizer.has_identity(headers, query):
            return 401
        method_arn = (
            f"arn:aws:execute-api:{self._region}:{self._account_id}:"
            f"{self.api.api_id}/{self.api.stage}/$connect"
        )
        event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            **base_event,
            "requestContext": self._request_context(live, "$connect", "CONNECT"),
        }
        started = time.monotonic()
        try:
            policy = await asyncio.to_thread(authorizer.function.invoke, event)
        except Exception as error:
            if str(error) == "Unauthorized":
                return 401
            log.exception("the authorizer failed; the connection is refused")
            return 500
        if not isinstance(policy, dict) or not _policy_allows(policy, method_arn):
            return 403
        live.authorizer_context = {
            **(policy.get("context") or {}),
            "principalId": policy.get("principalId"),
            "integrationLatency": int((time.monotonic() - started) * 1000),
        }
        return None

    async def _session(self, connection: ServerConnection) -> None:
        live = self._accepted.pop(connection)
        self.connections[live.connection_id] = live
        try:
            while True:
                ends_at_ms = min(
                    live.last_active_ms + self.idle_timeout_seconds * 1000,
                    live.connected_at_ms + MAX_CONNECTION_SECONDS * 1000,
                )
                try:
                    async with asyncio.timeout(max(0.0, ends_at_ms / 1000 - time.time())):
                        message = await connection.recv()
                except TimeoutError:
                    await connection.close(1001, "Going away")
                    break
                live.last_active_ms = int(time.time() * 1000)
                await self._on_message(live, message)
        except ConnectionClosed:
            pass
        finally:
            self.connections.pop(live.connection_id, None)
            await self._on_disconnect(live)

    async def _on_message(self, live: LiveConnection, message: str | bytes) -> None:
        route_key = self.api.route_key(message)
        route = self.api.routes.get(route_key)
        request_context = self._request_context(live, route_key, "MESSAGE")
        request_context["messageId"] = str(uuid.uuid4())
        if route is None:
            await self._send_error(live, "Forbidden", request_context)
            return
        event: dict[str, Any] = {"requestContext": request_context, "isBase64Encoded": False}
        if isinstance(message, bytes):
            event.update(body=base64.b64encode(message).decode(), isBase64Encoded=True)
        else:
            event["body"] = message
        try:
            await asyncio.to_thread(route.function.invoke, event)
        except Exception:
            log.exception("the %s route's function failed", route_key)
            await self._send_error(live, "Internal server error", request_context)

    async def _send_error(
        self, live: LiveConnection, message: str, request_context: Mapping[str, Any]
    ) -> None:
        """What API Gateway sends back when a route is missing or its function fails."""
        frame = {
            "message": message,
            "connectionId": live.connection_id,
            "requestId": request_context["requestId"],
        }
        with contextlib.suppress(ConnectionClosed):
            await live.socket.send(json.dumps(frame))

    async def _on_disconnect(self, live: LiveConnection) -> None:
        route = self.api.routes.get("$disconnect")
        if route is None or self.stopping:
            return
        context = self._request_context(live, "$disconnect", "DISCONNECT")
        context["disconnectStatusCode"] = live.socket.close_code or 1006
        context["disconnectReason"] = live.socket.close_reason or ""
        event = {"requestContext": context, "isBase64Encoded": False}
        try:
            await asyncio.to_thread(route.function.invoke, event)
        except Exception:
            log.exception("$disconnect failed")

    # ------------------------------------------------------------- management API

    async def post(self, connection_id: str, data: bytes) -> bool:
        """Sends a frame; False when the connection is gone."""
        live = self.connections.get(connection_id)
        if live is None:
            return False
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            frame: str | bytes = data
        else:
            frame = text
        try:
            await live.socket.send(frame)
        except ConnectionClosed:
            return False
        return True

    async def close(self, connection_id: str) -> bool:
        live = self.connections.get(connection_id)
        if live is None:
            return False
        # Waits for the closing handshake only: $disconnect runs in the connection's own task.
        await live.socket.close(1000, "Goodbye")
        return True


_REASONS = {401: "Unauthorized", 403: "Forbidden", 500: "Internal server error"}
_IN_PROCESS_SECONDS = 10


def _iso(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).isoformat(timespec="milliseconds")


type Answer = tuple[int, dict[str, str], bytes]


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Answer:
    content = json.dumps(body).encode()
    return status, {"content-type": "application/json", **(headers or {})}, content


def _gone(connection_id: str) -> Answer:
    return _json(
        410,
        {"message": f"the connection {connection_id} is gone"},
        {"x-amzn-ErrorType": "GoneException"},
    )


async def manage(gateway: WebSocketGateway, method: str, connection_id: str, data: bytes) -> Answer:
    """The management API's answer to `method /{stage}/@connections/{connection_id}`."""
    if method == "POST":
        if len(data) > MESSAGE_LIMIT_BYTES:
            return _json(
                413,
                {"message": "the message exceeds 128 KB"},
                {"x-amzn-ErrorType": "PayloadTooLargeException"},
            )
        sent = await gateway.post(connection_id, data)
        return (200, {}, b"") if sent else _gone(connection_id)
    if method == "DELETE":
        closed = await gateway.close(connection_id)
        return (204, {}, b"") if closed else _gone(connection_id)
    live = gateway.connections.get(connection_id)
    if live is None:
        return _gone(connection_id)
    return _json(
        200,
        {
            "connectedAt": _iso(live.connected_at_ms),
            "identity": {"sourceIp": live.source_ip, "userAgent": live.user_agent},
            "lastActiveAt": _iso(live.last_active_ms),
        },
    )


def management_routes(gateway: WebSocketGateway) -> list[Route]:
    """`/{stage}/@connections/{id}`: point boto3's `apigatewaymanagementapi` (or the CLI's
    `--endpoint-url`) at `http://host:port/{stage}`. Requests are not signature-checked."""

    async def connection(request: Request) -> Response:
        status, headers, body = await manage(
            gateway, request.method, request.path_params["connection_id"], await request.body()
        )
        return Response(body, status_code=status, headers=headers)

    return [
        Route(
            f"/{gateway.api.stage}/@connections/{{connection_id}}",
            connection,
            methods=["GET", "POST", "DELETE"],
        )
    ]


class _Body:
    """A response body as botocore reads one."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


class InProcessManagementApi:
    """The management API for the functions this process runs: boto3's requests to it are
    answered by the gateway itself (a botocore `before-send` hook on boto3's default
    session, which the functions' clients come from), with no HTTP round trip to this same
    process. Other processes, boto3 and the CLI still reach it over HTTP."""

    def __init__(
        self, gateway: WebSocketGateway, loop: asyncio.AbstractEventLoop, url: str
    ) -> None:
        self._gateway = gateway
        self._loop = loop
        self._prefix = f"{url}/@connections/"

    @staticmethod
    def _events() -> Any:
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None
        return boto3.DEFAULT_SESSION.events

    def install(self) -> None:
        """Before any management API client is made (they copy the session's hooks)."""
        self._events().register("before-send.apigatewaymanagementapi", self._answer)

    def uninstall(self) -> None:
        self._events().unregister("before-send.apigatewaymanagementapi", self._answer)

    def _answer(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        url = str(request.url)
        if not url.startswith(self._prefix) or self._loop.is_closed():
            return None  # another address, or the gateway's own thread: over HTTP
        connection_id = unquote(url[len(self._prefix) :].split("?", 1)[0])
        body: Any = request.body  # bytes for post_to_connection, None for the others
        data = body.encode() if isinstance(body, str) else bytes(body or b"")
        answer = asyncio.run_coroutine_threadsafe(
            manage(self._gateway, str(request.method), connection_id, data), self._loop
        )
        status, headers, content = answer.result(timeout=_IN_PROCESS_SECONDS)
        return AWSResponse(url, status, cast(Any, headers), _Body(content))
