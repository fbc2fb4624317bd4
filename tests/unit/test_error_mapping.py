"""Every domain error reaches the caller through the one table in firmchat.responses."""

import importlib
import inspect
import json
import pkgutil

import pytest

import firmchat
from firmchat import errors
from firmchat.responses import STATUS_BY_ERROR, TITLES, error_response, status_for

EXPECTED_STATUS = {
    errors.MalformedRequestError: 400,
    errors.InvalidInputError: 422,
    errors.NotAuthenticatedError: 401,
    errors.ForbiddenError: 403,
    errors.NotFoundError: 404,
    errors.ConflictError: 409,
    errors.PayloadTooLargeError: 413,
}


def _every_domain_error() -> list[type[errors.FirmchatError]]:
    # Narrow errors live beside the code that raises them: load every module of the core.
    for module in pkgutil.walk_packages(firmchat.__path__, "firmchat."):
        importlib.import_module(module.name)
    found, pending = [], [errors.FirmchatError]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def _an_instance(error_class: type[errors.FirmchatError]) -> errors.FirmchatError:
    """Some narrow errors carry their own fixed message and take no argument."""
    takes_message = len(inspect.signature(error_class).parameters) > 0
    return error_class("x") if takes_message else error_class()  # type: ignore[call-arg]


def test_every_domain_error_has_a_4xx_status_in_the_table():
    for error_class in _every_domain_error():
        status = status_for(_an_instance(error_class))
        assert 400 <= status < 500, error_class


@pytest.mark.parametrize(("error_class", "status"), EXPECTED_STATUS.items())
def test_each_error_maps_to_its_status_as_one_problem_details_body(error_class, status):
    response = error_response(error_class("the thread is archived"))

    assert response["statusCode"] == status
    assert response["headers"] == {"content-type": "application/problem+json"}
    body = json.loads(response["body"])
    assert body == {
        "type": f"tag:firmchat,2026:problem:{error_class.code}",
        "title": TITLES[error_class.code],
        "status": status,
        "detail": "the thread is archived",
        "code": error_class.code,
        **(
            {"errors": [{"field": None, "message": "the thread is archived"}]}
            if error_class is errors.InvalidInputError
            else {}
        ),
    }


def test_invalid_input_names_each_field_at_fault():
    error = errors.InvalidInputError.of_problems([("size", "not offered"), ("cursor", "unknown")])

    assert json.loads(error_response(error)["body"])["errors"] == [
        {"field": "size", "message": "not offered"},
        {"field": "cursor", "message": "unknown"},
    ]


def test_a_narrower_error_inherits_its_parents_status():
    class ThreadArchivedError(errors.ConflictError):
        code = "thread_archived"

    assert ThreadArchivedError not in STATUS_BY_ERROR
    assert status_for(ThreadArchivedError("archived")) == 409
