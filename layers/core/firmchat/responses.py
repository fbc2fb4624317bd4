"""The one table that turns domain errors into HTTP statuses, for every handler."""

import json
from typing import Any

from firmchat.errors import (
    ConflictError,
    FirmchatError,
    ForbiddenError,
    InvalidInputError,
    NotAuthenticatedError,
    NotFoundError,
    PayloadTooLargeError,
    TooManyRequestsError,
)

STATUS_BY_ERROR: dict[type[FirmchatError], int] = {
    InvalidInputError: 400,
    NotAuthenticatedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    PayloadTooLargeError: 413,
    TooManyRequestsError: 429,
}


def status_for(error: FirmchatError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def error_body(error: FirmchatError) -> dict[str, str]:
    return {"error": error.code, "message": error.message}


def proxy_response(status: int, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An API Gateway Lambda proxy response (HTTP payload 2.0 and WebSocket alike)."""
    response: dict[str, Any] = {"statusCode": status}
    if body is not None:
        response["headers"] = {"content-type": "application/json"}
        response["body"] = json.dumps(body)
    return response


def error_response(error: FirmchatError) -> dict[str, Any]:
    return proxy_response(status_for(error), error_body(error))
