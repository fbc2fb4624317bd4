"""Loads the template's functions in this process and invokes them as Lambda would.

Each function's module is imported from its CodeUri folder with the environment the template
gives it (Globals merged with its own), so a missing setting fails here as it would at a cold
start. Handlers are then called with the event and a Lambda-shaped context.
"""

import importlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from localcloud.template import REPO_ROOT, Resolver, resources_of_type

type Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: str
    module: str
    handler_name: str
    environment: dict[str, str]
    memory_mb: int
    timeout_seconds: int


def function_specs(resolver: Resolver) -> dict[str, FunctionSpec]:
    template = resolver.template
    defaults = template.get("Globals", {}).get("Function", {})
    specs = {}
    for logical_id, resource in resources_of_type(template, "AWS::Serverless::Function").items():
        properties = resource["Properties"]
        module, handler_name = properties["Handler"].rsplit(".", 1)
        environment = {
            **defaults.get("Environment", {}).get("Variables", {}),
            **properties.get("Environment", {}).get("Variables", {}),
        }
        specs[logical_id] = FunctionSpec(
            logical_id=logical_id,
            code_dir=str(REPO_ROOT / properties["CodeUri"]),
            module=module,
            handler_name=handler_name,
            environment={name: str(resolver.resolve(value)) for name, value in environment.items()},
            memory_mb=int(properties.get("MemorySize", defaults.get("MemorySize", 128))),
            timeout_seconds=int(properties.get("Timeout", defaults.get("Timeout", 3))),
        )
    return specs


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    def __init__(self, spec: FunctionSpec, region: str, account_id: str) -> None:
        self.function_name = spec.logical_id
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = spec.memory_mb
        self.invoked_function_arn = (
            f"arn:aws:lambda:{region}:{account_id}:function:{spec.logical_id}"
        )
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{spec.logical_id}"
        self.log_stream_name = "local"
        self._timeout_ms = spec.timeout_seconds * 1000

    def get_remaining_time_in_millis(self) -> int:
        return self._timeout_ms


class LocalFunction:
    """One of the template's functions, imported once (a warm container) and invocable."""

    def __init__(self, spec: FunctionSpec, resolver: Resolver) -> None:
        self.spec = spec
        self._resolver = resolver
        if spec.code_dir not in sys.path:
            sys.path.insert(0, spec.code_dir)
        with _environment(spec.environment):
            self.module = importlib.import_module(spec.module)
        self._handler: Handler = getattr(self.module, spec.handler_name)

    def invoke(self, event: dict[str, Any]) -> Any:
        context = LambdaContext(self.spec, self._resolver.region, self._resolver.account_id)
        with _environment(self.spec.environment):
            return self._handler(event, context)
