"""The whole local cloud, started and stopped as one: moto, the template's resources, the
functions, both gateways, the console (management API, clock, mail), the stream pollers,
the scheduler and the demo data.

    with LocalCloud(Ports.ephemeral()) as endpoints:
        ...  # endpoints.http_api, endpoints.websocket, ...
"""

import asyncio
import contextlib
import logging
import socket
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from firmchat.root import root
from localcloud.aws import LocalAws
from localcloud.console import clock_routes
from localcloud.demo import DemoLogin, seed
from localcloud.http_gateway import HttpApi, http_api_app, http_api_id
from localcloud.lambdas import LocalFunctions, environment
from localcloud.mail import Outbox, mail_routes
from localcloud.moto_cognito import install as answer_srp_as_aws
from localcloud.moto_dynamodb import install as hold_volume
from localcloud.portal import PortalConfig, name_distributions, portal_app
from localcloud.provision import provision
from localcloud.queues import DocumentQueues
from localcloud.scheduler import Clock, Scheduler
from localcloud.servers import MotoServer, bind
from localcloud.streams import StreamPollers, StreamSource
from localcloud.template import TEMPLATE_PATH, Resolver, load_template, resources_of_type
from localcloud.ws_gateway import (
    InProcessManagementApi,
    WebSocketApi,
    WebSocketGateway,
    management_routes,
    websocket_api_id,
)

log = logging.getLogger("localcloud")

# The longest each part may take to stop (a function invocation in flight is not waited
# for: the threads that run them end with the process).
STOP_PART_SECONDS = 0.5


@dataclass(frozen=True)
class Ports:
    """Where each part listens; 0 lets the system pick a free port."""

    http: int = 3000
    websocket: int = 3001
    console: int = 3002
    moto: int = 3003
    portal: int = 5173

    @classmethod
    def ephemeral(cls) -> "Ports":
        return cls(http=0, websocket=0, console=0, moto=0, portal=0)


# The command-line option that sets each port, named in the message when one is taken.
PORT_OPTIONS = {
    "http": "--http-port",
    "websocket": "--ws-port",
    "console": "--console-port",
    "moto": "--moto-port",
    "portal": "--portal-port",
}


@dataclass(frozen=True)
class Endpoints:
    """Everything a client of the local cloud needs, as printed on start."""

    portal: str
    http_api: str
    websocket: str
    management_api: str
    clock: str
    mail: str
    mail_json: str
    inbound_mail: str
    moto: str
    region: str
    resources: dict[str, str]
    demo_firm_id: str | None = None
    logins: list[dict[str, str | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _address(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"{host}:{port}"


class LocalCloud:
    def __init__(
        self,
        ports: Ports | None = None,
        host: str = "127.0.0.1",
        region: str = "us-east-1",
        demo: bool = True,
        template_path: Path = TEMPLATE_PATH,
    ) -> None:
        self._ports = ports or Ports()
        self._host = host
        self._region = region
        self._demo = demo
        self._template_path = template_path
        self._loop = asyncio.new_event_loop()
        self._loop_thread: threading.Thread | None = None
        self._stopping = asyncio.Event()
        self._moto: MotoServer | None = None
        self._pollers: StreamPollers | None = None
        self._queues: DocumentQueues | None = None
        self._scheduler: Scheduler | None = None
        self._listeners: list[socket.socket] = []
        self._management: InProcessManagementApi | None = None

    def _bind(self) -> dict[str, socket.socket]:
        """Binds every port before anything starts, so a taken one stops the start cleanly."""
        listeners: dict[str, socket.socket] = {}
        try:
            for part, option in PORT_OPTIONS.items():
                listeners[part] = bind(part, self._host, getattr(self._ports, part), option)
        except Exception:
            for listener in listeners.values():
                listener.close()
            raise
        self._listeners = list(listeners.values())
        return listeners

    def start(self) -> Endpoints:
        listeners = self._bind()
        outbox = Outbox()
        hold_volume()
        answer_srp_as_aws()
        self._moto = MotoServer(listeners["moto"], outbox.recorder)
        self._moto.start()
        aws = LocalAws(self._moto.endpoint, self._region)
        # The portal's own address is its origin: CORS and the invitation links name it.
        portal_url = f"http://{_address(listeners['portal'])}"
        resolver = Resolver(
            load_template(self._template_path),
            region=self._region,
            parameters={"PortalOrigin": portal_url},
        )
        name_distributions(resolver)
        provision(resolver, aws)

        http_url = f"http://{_address(listeners['http'])}"
        ws_url = f"ws://{_address(listeners['websocket'])}"
        console_url = f"http://{_address(listeners['console'])}"
        ws_api = resolver.ref(websocket_api_id(resolver.template))
        http_api_name = resolver.ref(http_api_id(resolver.template))
        aws_host = f".execute-api.{self._region}.amazonaws.com"
        clock = Clock()
        # The functions share this process's composition root: they read the movable clock
        # the scheduler fires by, so "five minutes later" is the same time for both.
        root().__dict__["clock"] = clock
        functions = LocalFunctions(
            resolver,
            aws.lambda_environment(),
            addresses={
                f"https://{http_api_name}{aws_host}": http_url,
                f"wss://{ws_api}{aws_host}": ws_url,
                f"https://{ws_api}{aws_host}": console_url,
            },
        )
        http_api = HttpApi.from_template(resolver, functions, self._moto.endpoint)
        gateway = WebSocketGateway(
            WebSocketApi.from_template(resolver, functions), self._region, resolver.account_id
        )
        self._management = InProcessManagementApi(
            gateway, self._loop, f"{console_url}/{gateway.api.stage}"
        )
        self._management.install()
        self._scheduler = Scheduler(aws, functions, clock)
        portal = PortalConfig(
            httpApi=http_url + http_api.base_path,
            websocket=f"{ws_url}/{gateway.api.stage}",
            region=self._region,
            userPoolId=resolver.ref("UserPool"),
            firmClientId=resolver.ref("FirmPortalClient"),
            clientClientId=resolver.ref("ClientPortalClient"),
            cognitoEndpoint=self._moto.endpoint,
        )
        console = Starlette(
            routes=[
                *management_routes(gateway),
                *clock_routes(self._scheduler),
                *mail_routes(outbox, resolver, functions, aws),
            ]
        )
        ready = threading.Event()
        self._loop_thread = threading.Thread(
            target=self._loop.run_until_complete,
            args=(
                self._serve(
                    [
                        (http_api_app(http_api, resolver.account_id), listeners["http"]),
                        (console, listeners["console"]),
                        (portal_app(portal), listeners["portal"]),
                    ],
                    gateway,
                    listeners["websocket"],
                    ready,
                ),
            ),
            name="gateways",
            daemon=True,
        )
        self._loop_thread.start()
        # Before any demo write, as a deployed event source mapping would be.
        self._pollers = StreamPollers(StreamSource.from_template(resolver, functions), aws)
        self._pollers.start()
        self._queues = DocumentQueues(resolver, functions, aws)
        self._queues.start()
        self._scheduler.start()
        ready.wait()
        if not self._loop_thread.is_alive():
            raise RuntimeError("the gateways did not start; the error is logged above")
        firm_id, logins = self._seed(resolver, functions, outbox) if self._demo else (None, [])
        stage = http_api.base_path
        return Endpoints(
            portal=portal_url,
            http_api=http_url + stage,
            websocket=f"{ws_url}/{gateway.api.stage}",
            management_api=f"{console_url}/{gateway.api.stage}",
            clock=f"{console_url}/_local/clock",
            mail=f"{console_url}/_local/mail",
            mail_json=f"{console_url}/_local/mail.json",
            inbound_mail=f"{console_url}/_local/inbound-mail",
            moto=self._moto.endpoint,
            region=self._region,
            resources=dict(sorted(resolver.refs.items())),
            demo_firm_id=firm_id,
            logins=[asdict(login) for login in logins],
        )

    @staticmethod
    def _seed(
        resolver: Resolver, functions: LocalFunctions, outbox: Outbox
    ) -> tuple[str, list[DemoLogin]]:
        """The demo data, made by the core with the settings a function of the template gets
        (Globals, plus the user pool, sender and portal the people services need)."""
        variables = resolver.template.get("Globals", {}).get("Function", {}).get("Environment", {})
        user_pool = next(iter(resources_of_type(resolver.template, "AWS::Cognito::UserPool")))
        settings = {
            **resolver.resolve(variables.get("Variables", {})),
            "USER_POOL_ID": resolver.ref(user_pool),
            "SENDER_ADDRESS": resolver.ref("SenderAddress"),
            "PORTAL_ORIGIN": resolver.ref("PortalOrigin"),
        }
        with environment(functions.environment_of(settings)):
            return seed(outbox, settings["PORTAL_ORIGIN"])

    async def _serve(
        self,
        apps: list[tuple[Starlette, socket.socket]],
        gateway: WebSocketGateway,
        ws_listener: socket.socket,
        ready: threading.Event,
    ) -> None:
        servers = [
            uvicorn.Server(
                uvicorn.Config(
                    app,
                    lifespan="off",
                    ws="none",
                    log_level="warning",
                    access_log=False,
                    timeout_graceful_shutdown=1,
                )
            )
            for app, _ in apps
        ]
        tasks = [
            asyncio.create_task(server.serve(sockets=[listener]))
            for server, (_, listener) in zip(servers, apps, strict=True)
        ]
        try:
            ws_server = await gateway.serve(ws_listener)
            while not all(server.started for server in servers):
                if any(task.done() for task in tasks):
                    await asyncio.gather(*tasks)  # raises what stopped a server
                await asyncio.sleep(0.01)
        finally:
            ready.set()
        await self._stopping.wait()
        # Every part's state is in this process's memory and ends with it: nothing is
        # waited for that would make Ctrl+C slow ($disconnect, requests in flight).
        gateway.stopping = True
        ws_server.close()
        for server in servers:
            server.should_exit = server.force_exit = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(STOP_PART_SECONDS):
                await ws_server.wait_closed()
                await asyncio.gather(*tasks)

    def stop(self) -> None:
        """Stops every part, in the reverse order of their start; safe to call twice."""
        if self._management is not None:
            self._management.uninstall()
            self._management = None
        if self._loop_thread is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._loop_thread.join(STOP_PART_SECONDS + 0.5)
            self._loop_thread = None
        if self._pollers is not None:
            self._pollers.stop(STOP_PART_SECONDS)
            self._pollers = None
        if self._queues is not None:
            self._queues.stop(STOP_PART_SECONDS)
            self._queues = None
        if self._scheduler is not None:
            self._scheduler.stop(STOP_PART_SECONDS)
            self._scheduler = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        for listener in self._listeners:
            listener.close()
        self._listeners = []
        if not self._loop.is_closed() and not self._loop.is_running():
            self._loop.close()

    def __enter__(self) -> Endpoints:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
