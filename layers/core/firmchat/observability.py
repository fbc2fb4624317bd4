"""Powertools Logger, Metrics and Tracer, built once for every function.

Names and levels come from the POWERTOOLS_* settings in template.yaml's Globals.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics()
tracer = Tracer()

type LambdaHandler = Callable[[dict[str, Any], Any], Any]


def lambda_entry(
    correlation_id_path: str = correlation_paths.API_GATEWAY_HTTP,
) -> Callable[[LambdaHandler], LambdaHandler]:
    """Wraps a handler with structured logs (correlation id), a trace and flushed metrics."""

    def wrap(handler: LambdaHandler) -> LambdaHandler:
        traced = tracer.capture_lambda_handler(handler)
        measured = metrics.log_metrics(traced)
        logged: LambdaHandler = logger.inject_lambda_context(
            measured, correlation_id_path=correlation_id_path, clear_state=True
        )
        return logged

    return wrap
