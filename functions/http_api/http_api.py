"""The HTTP API: the FastAPI app behind Mangum, one Lambda for every route in template.yaml."""

from typing import Any

from mangum import Mangum

from firmchat.observability import lambda_entry
from firmchat_api.app import create_app

app = create_app()
_asgi = Mangum(app, lifespan="off")


@lambda_entry()
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response: dict[str, Any] = _asgi(event, context)
    return response
