"""The one table that turns domain errors into HTTP statuses and one body, for every handler.

Every 4xx is an RFC 9457 problem details object, sent as application/problem+json: `type`
(a tag URI naming the code), `title`, `status`, `detail` (what was wrong, safe to show),
`code` (the stable machine string) and, for invalid input, `errors: [{field, message}]`.
A WebSocket error frame carries the very same object as its `problem`. See
docs/api-errors.md for the codes and which mistake gets which status.
"""

import json
from typing import Any

from pydantic import BaseModel, Field

from firmchat.domain.tasks import StaleOrderError
from firmchat.errors import (
    ConflictError,
    FirmchatError,
    ForbiddenError,
    InvalidInputError,
    MalformedRequestError,
    NotAuthenticatedError,
    NotFoundError,
    PayloadTooLargeError,
    TooManyRequestsError,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "tag:firmchat,2026:problem:"

STATUS_BY_ERROR: dict[type[FirmchatError], int] = {
    MalformedRequestError: 400,
    NotAuthenticatedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    PayloadTooLargeError: 413,
    TooManyRequestsError: 429,
    InvalidInputError: 422,
}

TITLES: dict[str, str] = {
    MalformedRequestError.code: "The request could not be read",
    NotAuthenticatedError.code: "Sign in first",
    ForbiddenError.code: "Not allowed",
    NotFoundError.code: "Not found",
    ConflictError.code: "In conflict with the current state",
    PayloadTooLargeError.code: "Too large",
    TooManyRequestsError.code: "Too many requests",
    InvalidInputError.code: "The input is not valid",
}


class FieldProblem(BaseModel):
    field: str | None = Field(
        description="the part at fault, dotted (message.body); null: the whole"
    )
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with our stable `code` and, for invalid input, `errors`."""

    type: str = Field(examples=[f"{PROBLEM_TYPE_PREFIX}invalid_input"])
    title: str = Field(examples=["The input is not valid"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["subject: String should have at least 1 character"])
    code: str = Field(examples=["invalid_input"])
    errors: list[FieldProblem] | None = None
    current_order: list[str] | None = Field(
        default=None, description="a stale task reorder's 409: the tasks' order as it is now"
    )


def status_for(error: FirmchatError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def _title(error: FirmchatError) -> str:
    for cls in type(error).__mro__:
        if issubclass(cls, FirmchatError) and cls.code in TITLES:
            return TITLES[cls.code]
    return "The request was refused"


def problem(error: FirmchatError) -> Problem:
    fields = (
        [FieldProblem(field=field, message=text) for field, text in error.problems]
        if isinstance(error, InvalidInputError)
        else None
    )
    return Problem(
        type=PROBLEM_TYPE_PREFIX + error.code,
        title=_title(error),
        status=status_for(error),
        detail=error.message,
        code=error.code,
        errors=fields,
        current_order=error.current if isinstance(error, StaleOrderError) else None,
    )


def error_body(error: FirmchatError) -> dict[str, Any]:
    body = problem(error).model_dump()
    for optional in ("errors", "current_order"):
        if body[optional] is None:
            del body[optional]
    return body


def error_frame(error: FirmchatError) -> dict[str, Any]:
    """The WebSocket's error frame: the same problem object as the HTTP body."""
    return {"type": "error", "problem": error_body(error)}


def proxy_response(
    status: int, body: dict[str, Any] | None = None, content_type: str = "application/json"
) -> dict[str, Any]:
    """An API Gateway Lambda proxy response (HTTP payload 2.0 and WebSocket alike)."""
    response: dict[str, Any] = {"statusCode": status}
    if body is not None:
        response["headers"] = {"content-type": content_type}
        response["body"] = json.dumps(body)
    return response


def error_response(error: FirmchatError) -> dict[str, Any]:
    return proxy_response(status_for(error), error_body(error), PROBLEM_CONTENT_TYPE)
