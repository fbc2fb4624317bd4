"""TransactWriteItems with plain Python values, and each failed condition turned into the
domain error its action names (the table resource has no transactions of its own)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from firmchat.adapters.aws import dynamodb
from firmchat.errors import FirmchatError

_serializer = TypeSerializer()
_SERIALIZED_PARTS = ("Item", "Key", "ExpressionAttributeValues")


@dataclass(frozen=True)
class Action:
    """One action: `kind` is Put, Update, Delete or ConditionCheck; `request` its parameters
    (without TableName) in plain Python values; `refusal` what a failed condition means."""

    kind: str
    request: Mapping[str, Any]
    refusal: FirmchatError | None = None


def _serialized(table_name: str, action: Action) -> dict[str, Any]:
    request: dict[str, Any] = {"TableName": table_name}
    for name, value in action.request.items():
        if name in _SERIALIZED_PARTS:
            request[name] = {field: _serializer.serialize(item) for field, item in value.items()}
        else:
            request[name] = value
    return {action.kind: request}


def transact(table_name: str, actions: Sequence[Action]) -> None:
    """All actions or none. A cancelled transaction raises the refusal of the first action
    whose condition failed (or re-raises when none of them says what it means)."""
    client = dynamodb().meta.client
    try:
        client.transact_write_items(
            TransactItems=[_serialized(table_name, action) for action in actions]  # type: ignore[misc]
        )
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response.get("CancellationReasons", [])
        for action, reason in zip(actions, reasons, strict=False):
            if reason.get("Code") == "ConditionalCheckFailed" and action.refusal is not None:
                raise action.refusal from error
        raise


def condition_failed(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"
