"""The published description's error side: every operation lists the problem responses it
can give, each with an example, in the one shape of firmchat.responses."""

from typing import Any

from fastapi import FastAPI

from firmchat.responses import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX, TITLES, Problem

_EXAMPLES: dict[int, tuple[str, str]] = {
    400: ("malformed_request", "the body is not valid JSON"),
    401: ("not_authenticated", "this sign-in has no active access to the firm"),
    403: ("forbidden", "only the firm's owners and admins may manage the firm"),
    404: ("not_found", "no such thread"),
    409: ("conflict", "this thread is archived: reopen it before replying"),
    413: ("payload_too_large", "the message is 300 KB of formatted text; the limit is 256 KB"),
    422: ("invalid_input", "size: page size 10 is not offered; choose one of 25, 50, 100, 250"),
}
_WRITES = frozenset({"POST", "PUT", "PATCH"})


def _example(status: int) -> dict[str, Any]:
    code, detail = _EXAMPLES[status]
    example: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": TITLES[code],
        "status": status,
        "detail": detail,
        "code": code,
    }
    if status == 422:
        example["errors"] = [{"field": "size", "message": detail.split(": ", 1)[1]}]
    return example


PUBLIC: dict[str, Any] = {"security": []}
"""`openapi_extra` of a route that answers without a token (the gateway's authorizer is off)."""


def only_problems(*statuses: int) -> dict[str, Any]:
    """`openapi_extra` of a route that can answer only these error statuses, where the
    defaults below would list some that cannot happen (a POST that reads no body)."""
    return {"x-problem-statuses": list(statuses)}


def _statuses(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    declared = operation.pop("x-problem-statuses", None)
    if declared is not None:
        return sorted(declared)
    statuses = {422}
    if operation.get("security") != []:
        statuses |= {401, 403, 404}
    if method.upper() in _WRITES:
        statuses |= {400, 409, 413}
    if "{" in path:
        statuses.add(404)
    return sorted(statuses)


def describe_errors(app: FastAPI) -> None:
    """Replaces FastAPI's default 422 schema with ours and adds every error response."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        schema["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        schema["security"] = [{"bearer": []}]
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in _statuses(method, path, operation):
                    if status != 422 and str(status) in responses:
                        continue  # the route declares this answer itself (a page, not a problem)
                    responses[str(status)] = {
                        "description": TITLES[_EXAMPLES[status][0]],
                        "content": {
                            PROBLEM_CONTENT_TYPE: {
                                "schema": {"$ref": "#/components/schemas/Problem"},
                                "example": _example(status),
                            }
                        },
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
