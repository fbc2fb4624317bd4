"""Builds the FastAPI app and maps every error through the core's one table."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from firmchat.errors import FirmchatError
from firmchat.responses import error_body, status_for
from firmchat_api.routes import (
    accounts,
    health,
    invitations,
    me,
    settings,
    threads,
    tickets,
    users,
)


def _validation_message(error: RequestValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        problems.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem["msg"])
    return "; ".join(problems) or "the request is not valid"


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, FirmchatError)
    return JSONResponse(status_code=status_for(error), content=error_body(error))


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse(
        status_code=422, content={"error": "invalid_input", "message": _validation_message(error)}
    )


def create_app() -> FastAPI:
    app = FastAPI(title="firmchat", version="0.1.0", docs_url=None, redoc_url=None)
    app.add_exception_handler(FirmchatError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for module in (health, me, tickets, settings, users, accounts, invitations, threads):
        app.include_router(module.router)
    return app
