"""The bare baselines the local cloud is measured beside, each served by a child process on a
free port of the loopback, on the same stacks the local cloud uses:

    python -m bench.baselines http   # an ASGI app on uvicorn answering {"ok": true}
    python -m bench.baselines ws     # a `websockets` server broadcasting each frame to all

Prints the port on the first line of stdout, then serves until terminated.
"""

import asyncio
import socket
import sys
from typing import Any

import uvicorn
from websockets.asyncio.server import ServerConnection, broadcast, serve

_BODY = b'{"ok":true}'


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _BODY})


def _listening() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    print(listener.getsockname()[1], flush=True)
    return listener


def serve_http() -> None:
    config = uvicorn.Config(asgi_app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[_listening()])


async def serve_ws() -> None:
    clients: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        clients.add(connection)
        try:
            async for frame in connection:
                broadcast(clients, frame)
        finally:
            clients.discard(connection)

    async with serve(handler, sock=_listening(), max_size=2**20) as server:
        await server.serve_forever()


if __name__ == "__main__":
    serve_http() if sys.argv[1] == "http" else asyncio.run(serve_ws())
