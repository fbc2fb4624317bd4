"""What the management API received for a connection, as moto records it in this process."""

import json
from typing import Any
from urllib.parse import unquote

from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends


def pushed_frames(connection_id: str) -> list[dict[str, Any]]:
    """Every frame pushed to the connection so far, in order."""
    backend = apigatewaymanagementapi_backends["123456789012"]["us-east-1"]
    # moto keys connections by the id as it appears, URL-encoded, in the request path.
    received = {unquote(key): connection.data for key, connection in backend.connections.items()}
    data = received.get(connection_id, b"").decode()
    decoder = json.JSONDecoder()
    frames, position = [], 0
    while position < len(data):
        frame, position = decoder.raw_decode(data, position)
        frames.append(frame)
    return frames
