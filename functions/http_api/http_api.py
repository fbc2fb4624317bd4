"""The HTTP API: the FastAPI app behind Mangum, one Lambda for every route in template.yaml."""

from typing import Any

from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from firmchat.observability import lambda_entry
from firmchat.responses import PROBLEM_CONTENT_TYPE
from firmchat.root import root
from firmchat_api.app import create_app

app = create_app()
# API Gateway puts the stage in front of every path (/dev/health); the app's routes omit it.
# Problem details are text: sent as they are, not base64 (Mangum's default for unknown types).
_asgi = Mangum(
    app,
    lifespan="off",
    api_gateway_base_path=f"/{root().settings.api_stage}",
    text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, PROBLEM_CONTENT_TYPE],
)


@lambda_entry()
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response: dict[str, Any] = _asgi(event, context)
    return response
