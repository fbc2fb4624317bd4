"""The HTTP API gateway: the template's HttpApi routes, served as API Gateway serves them.

Each request becomes a payload format 2.0 event (stage kept in `rawPath`, JWT claims in
`requestContext.authorizer.jwt.claims`), the route's function is invoked, and its proxy
response (or bare return value) becomes the HTTP response.
"""

import asyncio
import base64
import json
import logging
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from localcloud.jwt_authorizer import JwtAuthorizer, stringified
from localcloud.lambdas import LocalFunction, LocalFunctions
from localcloud.template import Resolver, function_events, resources_of_type

log = logging.getLogger("localcloud.http")

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_TEXT_TYPES = re.compile(
    r"^(text/.*|application/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml))$"
)


def request_time(epoch_ms: int) -> str:
    """API Gateway's `requestTime` format: 23/Nov/2026:10:00:00 +0000."""
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000))


def _path_pattern(path: str) -> re.Pattern[str]:
    """`/threads/{thread_id}` and greedy `/files/{key+}` as a regex with named groups."""
    pattern = ""
    for segment in path.strip("/").split("/"):
        greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
        parameter = re.fullmatch(r"\{(\w+)\}", segment)
        if greedy:
            pattern += rf"/(?P<{greedy.group(1)}>.+)"
        elif parameter:
            pattern += rf"/(?P<{parameter.group(1)}>[^/]+)"
        else:
            pattern += "/" + re.escape(segment)
    return re.compile((pattern or "/") + "/?")


def http_api_id(template: Mapping[str, Any]) -> str:
    """The logical id of the template's (one) HTTP API."""
    (logical_id,) = resources_of_type(template, "AWS::Serverless::HttpApi")
    return logical_id


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str
    function: LocalFunction
    authorizer: JwtAuthorizer | None
    scopes: tuple[str, ...]

    @property
    def key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Sorts routes as API Gateway prefers them: exact paths, then parameters, then
        greedy ones, then `ANY`, then `$default`."""
        if self.path == "$default":
            return (2, 0, 0)
        return (
            1 if "+}" in self.path else 0,
            self.path.count("{") - len(self.path.split("/")),
            1 if self.method == "ANY" else 0,
        )

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if self.path == "$default":
            return {}
        if self.method not in ("ANY", method):
            return None
        found = _path_pattern(self.path).fullmatch(path)
        return found.groupdict() if found else None


@dataclass(frozen=True)
class HttpApi:
    logical_id: str
    api_id: str
    stage: str
    routes: list[HttpRoute]
    cors: Mapping[str, Any] | None

    @classmethod
    def from_template(
        cls, resolver: Resolver, functions: LocalFunctions, moto_endpoint: str
    ) -> "HttpApi":
        """The template's HttpApi and the routes its functions' `HttpApi` events declare."""
        logical_id = http_api_id(resolver.template)
        api = resolver.template["Resources"][logical_id]
        properties = resolver.resolve(api.get("Properties", {}))
        auth = api.get("Properties", {}).get("Auth", {})
        authorizers = {
            name: JwtAuthorizer.from_template(configuration, resolver, moto_endpoint)
            for name, configuration in auth.get("Authorizers", {}).items()
        }
        routes = []
        for function_id, route in function_events(resolver.template, "HttpApi"):
            route_auth = route.get("Auth", {})
            authorizer_name = route_auth.get("Authorizer", auth.get("DefaultAuthorizer"))
            routes.append(
                HttpRoute(
                    method=route.get("Method", "ANY").upper(),
                    path=route.get("Path", "$default"),
                    function=functions[function_id],
                    authorizer=None
                    if authorizer_name in (None, "NONE")
                    else authorizers[authorizer_name],
                    scopes=tuple(route_auth.get("AuthorizationScopes", ())),
                )
            )
        return cls(
            logical_id=logical_id,
            api_id=resolver.ref(logical_id),
            stage=properties.get("StageName", "$default"),
            routes=sorted(routes, key=lambda route: route.specificity),
            cors=properties.get("CorsConfiguration"),
        )

    @property
    def base_path(self) -> str:
        return "" if self.stage == "$default" else f"/{self.stage}"


def _message(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"message": message}, status_code=status, headers=headers)


def build_event(
    request: Request,
    body: bytes,
    *,
    api: HttpApi,
    route: HttpRoute,
    path_parameters: Mapping[str, str],
    claims: Mapping[str, Any] | None,
    account_id: str,
) -> dict[str, Any]:
    """A payload format 2.0 event, as API Gateway builds it for this request."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    cookies = [cookie.strip() for cookie in headers.pop("cookie", "").split(";") if cookie.strip()]
    raw_query = request.url.query
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now_ms = int(time.time() * 1000)
    domain = headers.get("host", "localhost").split(":")[0]
    context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": api.api_id,
        "domainName": domain,
        "domainPrefix": domain.split(".")[0],
        "http": {
            "method": request.method,
            "path": request.url.path,
            "protocol": f"HTTP/{request.scope.get('http_version', '1.1')}",
            "sourceIp": request.client.host if request.client else "127.0.0.1",
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": str(uuid.uuid4()),
        "routeKey": route.key,
        "stage": api.stage,
        "time": request_time(now_ms),
        "timeEpoch": now_ms,
    }
    if claims is not None:
        context["authorizer"] = {
            "jwt": {"claims": stringified(claims), "scopes": list(route.scopes) or None}
        }
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": request.url.path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if body:
        if _TEXT_TYPES.match(headers.get("content-type", "text/plain").split(";")[0].strip()):
            event["body"] = body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    return event


def build_response(result: Any) -> Response:
    """The function's result as API Gateway maps a 2.0 response: a proxy response, or any
    other value sent as JSON with status 200."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return Response(json.dumps(result), media_type="application/json")
    body = result.get("body") or ""
    content = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(content, status_code=int(result["statusCode"]))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.append(name, str(value))
    for cookie in result.get("cookies") or []:
        response.headers.append("set-cookie", cookie)
    return response


def http_api_app(api: HttpApi, account_id: str) -> Starlette:
    async def dispatch(request: Request) -> Response:
        path = request.url.path
        if not path.startswith(api.base_path):
            return _message(404, "Not Found")
        path = path[len(api.base_path) :] or "/"
        for route in api.routes:
            parameters = route.match(request.method, path)
            if parameters is not None:
                break
        else:
            return _message(404, "Not Found")
        claims = None
        if route.authorizer is not None:
            claims = await asyncio.to_thread(route.authorizer.claims, request.headers, route.scopes)
            if claims is None:
                return _message(401, "Unauthorized", {"www-authenticate": "Bearer"})
        body = await request.body()
        event = build_event(
            request,
            body,
            api=api,
            route=route,
            path_parameters=parameters,
            claims=claims,
            account_id=account_id,
        )
        try:
            result = await asyncio.to_thread(route.function.invoke, event)
        except Exception:
            log.exception("%s failed", route.key)
            return _message(500, "Internal Server Error")
        return build_response(result)

    middleware = []
    if api.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=api.cors.get("AllowOrigins", []),
                allow_methods=api.cors.get("AllowMethods", []),
                allow_headers=api.cors.get("AllowHeaders", []),
                expose_headers=api.cors.get("ExposeHeaders", []),
                allow_credentials=bool(api.cors.get("AllowCredentials", False)),
                max_age=int(api.cors.get("MaxAge", 0)),
            )
        )
    return Starlette(
        routes=[Route("/{path:path}", dispatch, methods=_METHODS)], middleware=middleware
    )
