"""schemathesis against the running local cloud: requests generated from the OpenAPI
description the HTTP API's app publishes, each sent as owner, admin, member and client.
Whatever is sent, no answer may be a 5xx."""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from bench.cold_start import NamingResolver
from localcloud.lambdas import LocalFunction, function_specs
from localcloud.template import load_template

ROLES = ("owner", "admin", "member", "client")
EXAMPLES_PER_OPERATION = 25


def published_openapi() -> dict[str, Any]:
    """The app's own description (FastAPI's `openapi()`); the template's routes are kept
    equal to it by tests/integration/test_http_api_handler.py."""
    resolver = NamingResolver(load_template())
    spec = function_specs(resolver)["HttpApiFunction"]
    description: dict[str, Any] = LocalFunction(spec, resolver).module.app.openapi()
    return description


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error(local_cloud, sessions, tally):
    schema = schemathesis.openapi.from_dict(published_openapi())
    failures: list[str] = []
    for found in schema.get_all_operations():
        if not isinstance(found, Ok):
            failures.append(f"an operation schemathesis cannot read: {found.err()}")
            continue
        operation = found.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def no_server_error(case) -> None:
            for role in ROLES:
                response = case.call(base_url=local_cloud.http_api, headers=sessions[role].headers)
                tally.add("schemathesis", "requests sent")
                tally.add("schemathesis", f"{response.status_code // 100}xx")
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} as {role} with {case.body!r}: "
                    f"{response.status_code} {response.text[:300]}"
                )

        try:
            no_server_error()
        except AssertionError as error:  # every operation is tried, whatever one finds
            failures.append(str(error))
        tally.add("schemathesis", "operations")
    assert not failures, "\n".join(failures)
