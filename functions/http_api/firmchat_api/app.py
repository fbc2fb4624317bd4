"""Builds the FastAPI app and maps every error through the core's one table: each 4xx is the
same problem details body (firmchat.responses, docs/api-errors.md)."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from firmchat.errors import (
    FirmchatError,
    InvalidInputError,
    MalformedRequestError,
    NotFoundError,
)
from firmchat.responses import PROBLEM_CONTENT_TYPE, error_body, status_for
from firmchat_api.openapi import describe_errors
from firmchat_api.routes import (
    accounts,
    documents,
    health,
    inbox,
    invitations,
    me,
    settings,
    tasks,
    threads,
    tickets,
    unsubscribe,
    users,
)

# Pydantic's names for "the body is not a JSON object at all".
_UNREADABLE = frozenset({"json_invalid", "model_attributes_type", "dict_type", "model_type"})
_SOURCES = frozenset({"body", "query", "path", "header"})


def _problem_response(error: FirmchatError) -> JSONResponse:
    return JSONResponse(
        status_code=status_for(error), content=error_body(error), media_type=PROBLEM_CONTENT_TYPE
    )


def _field(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if len(parts) > 1 and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts)


def _read_error(error: RequestValidationError) -> FirmchatError:
    """Malformed JSON (or a body that is not an object) is a 400; anything else read from a
    request that fails its schema is a 422 naming each field."""
    problems = list(error.errors())
    for problem in problems:
        if tuple(problem.get("loc", ())) == ("body",) and problem.get("type") in _UNREADABLE:
            return MalformedRequestError("the body must be one JSON object")
        if problem.get("type") == "json_invalid":
            return MalformedRequestError("the body is not valid JSON")
    return InvalidInputError.of_problems(
        [
            (_field(tuple(problem.get("loc", ()))), str(problem.get("msg", "invalid")))
            for problem in problems
        ]
        or [(None, "the request is not valid")]
    )


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, FirmchatError)
    return _problem_response(error)


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _problem_response(_read_error(error))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    """The framework's own refusals (no such route, a method the route lacks)."""
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        return _problem_response(NotFoundError("no such route"))
    body = {
        "type": "about:blank",
        "title": str(error.detail),
        "status": error.status_code,
        "detail": str(error.detail),
        "code": "method_not_allowed" if error.status_code == 405 else "http_error",
    }
    return JSONResponse(
        status_code=error.status_code,
        content=body,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=error.headers,
    )


def create_app() -> FastAPI:
    app = FastAPI(title="firmchat", version="0.2.0", docs_url=None, redoc_url=None)
    app.add_exception_handler(FirmchatError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    for module in (
        health,
        me,
        tickets,
        settings,
        users,
        accounts,
        invitations,
        threads,
        tasks,
        documents,
        inbox,
        unsubscribe,
    ):
        app.include_router(module.router)
    describe_errors(app)
    return app
