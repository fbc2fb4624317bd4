"""Listening sockets and moto's server: bound up front, so a taken port fails the start at once
with a message that names the part, instead of a thread dying quietly later."""

import errno
import socket
import threading
from collections.abc import Callable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

type WsgiMiddleware = Callable[[Any], Any]


class PortTakenError(RuntimeError):
    def __init__(self, part: str, host: str, port: int, option: str) -> None:
        super().__init__(
            f"port {port} on {host} is taken, so the {part} cannot listen there: stop what "
            f"uses it, or choose another port with {option} (0 picks a free one)"
        )


def bind(part: str, host: str, port: int, option: str) -> socket.socket:
    """A listening TCP socket; port 0 asks the system for a free one."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise PortTakenError(part, host, port, option) from None
        raise
    listener.listen(128)
    listener.set_inheritable(True)
    return listener


class MotoServer:
    """moto's WSGI app (every service on one port) served from a thread, as ThreadedMotoServer
    does, but on a socket bound beforehand and behind an optional WSGI middleware."""

    def __init__(self, listener: socket.socket, middleware: WsgiMiddleware) -> None:
        host, port = listener.getsockname()[:2]
        app = middleware(DomainDispatcherApplication(create_backend_app))
        self._server: BaseWSGIServer = make_server(
            host,
            port,
            app,
            threaded=True,
            request_handler=MotoRequestHandler,
            fd=listener.fileno(),
        )
        self._listener = listener
        self.endpoint = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
        self._listener.close()
