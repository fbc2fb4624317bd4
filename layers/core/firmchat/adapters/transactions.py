"""TransactWriteItems with plain Python values, and each failed condition turned into the
domain error its action names (the table resource has no transactions of its own)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from firmchat.errors import FirmchatError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


@dataclass(frozen=True)
class Action:
    """One action: `kind` is Put, Update, Delete or ConditionCheck; `request` its parameters
    (without TableName) in plain Python values; `refusal` what a failed condition means."""

    kind: str
    request: Mapping[str, Any]
    refusal: FirmchatError | None = None


def _request(table_name: str, action: Action) -> dict[str, Any]:
    # The table resource's client serializes plain Python values itself.
    return {action.kind: {"TableName": table_name, **action.request}}


def transact(table: "Table", actions: Sequence[Action]) -> None:
    """All actions or none. A cancelled transaction raises the refusal of the first action
    whose condition failed (or re-raises when none of them says what it means)."""
    client = table.meta.client
    try:
        client.transact_write_items(
            TransactItems=[_request(table.name, action) for action in actions]  # type: ignore[misc]
        )
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response.get("CancellationReasons", [])
        for action, reason in zip(actions, reasons, strict=False):
            if reason.get("Code") == "ConditionalCheckFailed" and action.refusal is not None:
                raise action.refusal from error
        raise


def condition_failed(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"
