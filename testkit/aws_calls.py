"""Records every AWS request this process makes, as the wire sees it (botocore `before-call`).

    with recorder.recording() as calls:
        ...
    calls.count("dynamodb", "Query")
    calls.partition_keys()          # every partition key value any DynamoDB request named

`recorder.install()` puts the hook on botocore's built-in handlers, so every session and
client made later carries it, including the ones the adapters cache per process: call it
before any client exists (tests/conftest.py and bench/firm_world.py do, first thing).
"""

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import boto3
from botocore import handlers

# DynamoDB operations that read or write items, and so must name a partition.
DATA_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
        "ExecuteStatement",
        "BatchExecuteStatement",
        "ExecuteTransaction",
    }
)
_KEY_EQUALITY = re.compile(r"(#?[\w.]+)\s*=\s*(:\w+)")
_REPO = Path(__file__).resolve().parents[1]
# The product's code: the core (adapters) and the functions. Tests and the local cloud may
# look at the table any way they like; the product may not.
PRODUCT_DIRS = (str(_REPO / "layers") + "/", str(_REPO / "functions") + "/")


@dataclass(frozen=True)
class AwsCall:
    service: str
    operation: str
    body: dict[str, Any]
    # The request path, URL-encoded, for REST services that name things in it (the
    # management API's /@connections/{id}).
    path: str = ""
    by_product: bool = True


def _made_by_product() -> bool:
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(PRODUCT_DIRS):
            return True
        frame = frame.f_back
    return False


def _partition(key: dict[str, Any]) -> str | None:
    """The partition value of a wire-format key or item (tables keyed PK, indexes *PK)."""
    value = key.get("PK", {})
    return value.get("S") if isinstance(value, dict) else None


def _query_partitions(body: dict[str, Any]) -> list[str | None]:
    names = body.get("ExpressionAttributeNames", {})
    values = body.get("ExpressionAttributeValues", {})
    found: list[str | None] = []
    for name, placeholder in _KEY_EQUALITY.findall(body.get("KeyConditionExpression", "")):
        attribute = names.get(name, name)
        if attribute.endswith("PK"):
            found.append(values.get(placeholder, {}).get("S"))
    return found or [None]


def _transact_partitions(body: dict[str, Any]) -> list[str | None]:
    found = []
    for entry in body.get("TransactItems", []):
        ((_, request),) = entry.items()
        found.append(_partition(request.get("Key") or request.get("Item") or {}))
    return found


def _batch_partitions(body: dict[str, Any]) -> list[str | None]:
    found: list[str | None] = []
    for requests in body.get("RequestItems", {}).values():
        if isinstance(requests, dict):
            found.extend(_partition(key) for key in requests.get("Keys", []))
            continue
        for request in requests:
            ((_, inner),) = request.items()
            found.append(_partition(inner.get("Item") or inner.get("Key") or {}))
    return found


def dynamodb_partitions(call: AwsCall) -> list[str | None]:
    """The partition key values one DynamoDB data request names; None where it names none
    (a Scan, a statement, a key without PK)."""
    if call.operation in ("GetItem", "DeleteItem", "UpdateItem"):
        return [_partition(call.body.get("Key", {}))]
    if call.operation == "PutItem":
        return [_partition(call.body.get("Item", {}))]
    if call.operation == "Query":
        return _query_partitions(call.body)
    if call.operation in ("TransactWriteItems", "TransactGetItems"):
        return _transact_partitions(call.body)
    if call.operation in ("BatchGetItem", "BatchWriteItem"):
        return _batch_partitions(call.body)
    return [None]


def names_firm(partition: str | None, firm_id: str | None = None) -> bool:
    """The partition belongs to a firm (to `firm_id` when given)."""
    if partition is None:
        return False
    if firm_id is None:
        return re.fullmatch(r"FIRM#[^#]+(#.*)?", partition) is not None
    return partition == f"FIRM#{firm_id}" or partition.startswith(f"FIRM#{firm_id}#")


@dataclass
class Calls:
    calls: list[AwsCall] = field(default_factory=list)

    def of(self, service: str, operation: str | None = None) -> list[AwsCall]:
        return [
            call
            for call in self.calls
            if call.service == service and operation in (None, call.operation)
        ]

    def count(self, service: str, operation: str | None = None) -> int:
        return len(self.of(service, operation))

    def dynamodb_data_calls(self) -> list[AwsCall]:
        return [call for call in self.of("dynamodb") if call.operation in DATA_OPERATIONS]

    def partition_keys(self) -> list[str | None]:
        return [key for call in self.dynamodb_data_calls() for key in dynamodb_partitions(call)]

    def outside_firm(self, firm_id: str | None = None) -> list[AwsCall]:
        """The product's DynamoDB data requests naming a partition that is not the firm's
        (any firm's when `firm_id` is None)."""
        return [
            call
            for call in self.dynamodb_data_calls()
            if call.by_product
            and not all(names_firm(key, firm_id) for key in dynamodb_partitions(call))
        ]


class AwsCallRecorder:
    def __init__(self) -> None:
        self._active: list[Calls] = []
        self._installed = False

    def _on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if not self._active:
            return
        raw = params.get("body") or b""
        try:
            body = json.loads(raw) if raw else {}
        except (TypeError, ValueError):
            body = {}
        call = AwsCall(
            service=model.service_model.service_name,
            operation=model.name,
            body=body if isinstance(body, dict) else {},
            path=str(params.get("url_path", "")),
            by_product=_made_by_product(),
        )
        for calls in self._active:
            calls.calls.append(call)

    def install(self) -> None:
        """Once per process; later calls change nothing."""
        if self._installed:
            return
        self._installed = True
        handlers.BUILTIN_HANDLERS.append(("before-call", self._on_call))
        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION.events.register("before-call", self._on_call)

    @contextmanager
    def recording(self) -> Iterator[Calls]:
        calls = Calls()
        self._active.append(calls)
        try:
            yield calls
        finally:
            self._active.remove(calls)


recorder = AwsCallRecorder()
