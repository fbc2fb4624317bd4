"""Loads the template's functions in this process and invokes them as Lambda would.

Each function's module is imported from its CodeUri folder with the environment the template
gives it (Globals merged with its own), so a missing setting fails here as it would at a cold
start. Handlers are then called with the event and a Lambda-shaped context.
"""

import asyncio
import importlib
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from localcloud.template import REPO_ROOT, Resolver, resources_of_type

type Handler = Callable[[dict[str, Any], Any], Any]

# The environment is the process's: while one function runs with its settings, no other may
# swap them. Local invocations therefore run one at a time.
_INVOCATION_LOCK = threading.RLock()


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
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Runs the block with these settings in the process's environment, as a function's
    invocation does (and, like one, while no other runs)."""
    with _INVOCATION_LOCK:
        yield from _swapped(variables)


def _swapped(variables: Mapping[str, str]) -> Iterator[None]:
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
        with environment(spec.environment):
            self.module = importlib.import_module(spec.module)
        self._handler: Handler = getattr(self.module, spec.handler_name)

    def invoke(self, event: dict[str, Any]) -> Any:
        context = LambdaContext(self.spec, self._resolver.region, self._resolver.account_id)
        # Lambda calls handlers on its main thread, where asyncio.get_event_loop() answers
        # (Mangum relies on it); the gateways call from worker threads, so give them one.
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            with environment(self.spec.environment):
                return self._handler(event, context)
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def _localize(value: str, addresses: Mapping[str, str]) -> str:
    """Points an AWS address of a locally served API (`https://<api>.execute-api...`) at
    the local gateway that serves it."""
    for aws_prefix, local_prefix in addresses.items():
        if value.startswith(aws_prefix):
            return local_prefix + value[len(aws_prefix) :]
    return value


class LocalFunctions:
    """Every function of the template, loaded with its environment made local: the runtime's
    variables pointing at moto, and the APIs' AWS addresses pointing at the local gateways."""

    def __init__(
        self,
        resolver: Resolver,
        runtime_environment: Mapping[str, str],
        addresses: Mapping[str, str],
    ) -> None:
        self._functions: dict[str, LocalFunction] = {}
        self._runtime_environment = runtime_environment
        self._addresses = addresses
        for logical_id, spec in function_specs(resolver).items():
            made_local = self.environment_of(
                {"AWS_LAMBDA_FUNCTION_NAME": logical_id, **spec.environment}
            )
            self._functions[logical_id] = LocalFunction(
                replace(spec, environment=made_local), resolver
            )

    def environment_of(self, settings: Mapping[str, str]) -> dict[str, str]:
        """Settings as a local function gets them: behind the runtime's, addresses made
        local."""
        return {
            **self._runtime_environment,
            **{name: _localize(value, self._addresses) for name, value in settings.items()},
        }

    def __getitem__(self, logical_id: str) -> LocalFunction:
        return self._functions[logical_id]

    def by_arn(self, arn: str) -> LocalFunction | None:
        """The function a Lambda ARN (optionally qualified) names, if the template has it."""
        parts = arn.split(":")
        if len(parts) < 7 or parts[2] != "lambda" or parts[5] != "function":
            return None
        return self._functions.get(parts[6])
