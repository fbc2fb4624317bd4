"""Serves the built portal (`portal/dist`, made by scripts/portal.sh) as CloudFront serves it
on AWS: the same security headers (a strict content security policy, `nosniff`, no framing),
every unknown path answered with the app's page, and `/config.json` generated from where the
local cloud's APIs and user pool are."""

from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from localcloud.template import REPO_ROOT, Resolver, resources_of_type

DIST = REPO_ROOT / "portal" / "dist"


@dataclass(frozen=True)
class PortalConfig:
    """What the app reads from `/config.json` (portal/src/config.ts)."""

    httpApi: str  # the JSON field names the app reads
    websocket: str
    region: str
    userPoolId: str
    firmClientId: str
    clientClientId: str
    cognitoEndpoint: str | None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def security_headers(config: PortalConfig) -> dict[str, str]:
    """The headers the template's response headers policy gives CloudFront's answers; the
    app may talk to its own origin, the two APIs and the user pool, and nothing else."""
    talks_to = " ".join(
        _origin(url) for url in (config.httpApi, config.websocket, config.cognitoEndpoint) if url
    )
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self' {talks_to}; manifest-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return {
        "content-security-policy": policy,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
    }


class _Headers:
    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self._app = app
        self._headers = [(name.encode(), value.encode()) for name, value in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self._headers]
            await send(message)

        await self._app(scope, receive, with_headers)


def portal_app(config: PortalConfig) -> Starlette:
    """The app's files; any other path is the app's page (its router reads the path)."""
    index = DIST / "index.html"

    async def page(request: Any) -> Response:
        if not index.is_file():
            return PlainTextResponse(
                "The portal is not built: run bash scripts/portal.sh (make run does).", 503
            )
        return FileResponse(index, headers={"cache-control": "no-cache"})

    async def configuration(request: Any) -> Response:
        return JSONResponse(asdict(config), headers={"cache-control": "no-store"})

    return Starlette(
        routes=[
            Route("/config.json", configuration),
            Mount("/assets", StaticFiles(directory=DIST / "assets", check_dir=False)),
            Route("/{path:path}", page),
        ],
        middleware=[Middleware(_Headers, headers=security_headers(config))],
    )


def name_distributions(resolver: Resolver) -> None:
    """moto plays no CloudFront: the local cloud serves the portal itself (above). The
    template's distribution is only named, before the portal bucket's policy refers to it."""
    for kind in ("AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl"):
        for logical_id in resources_of_type(resolver.template, kind):
            resolver.refs[logical_id] = logical_id.lower()
