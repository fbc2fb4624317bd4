"""The HTTP API: the FastAPI app behind Mangum, one Lambda for every route in template.yaml."""

from typing import Any

from mangum import Mangum

from firmchat.observability import lambda_entry
from firmchat.root import root
from firmchat_api.app import create_app

app = create_app()
# API Gateway puts the stage in front of every path (/dev/health); the app's routes omit it.
_asgi = Mangum(app, lifespan="off", api_gateway_base_path=f"/{root().settings.api_stage}")


@lambda_entry()
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response: dict[str, Any] = _asgi(event, context)
    return response
