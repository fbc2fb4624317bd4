"""The DynamoDB toolkit every store uses: plain values, one bounded batch read (with
backoff), one page of a Query, the loop that reads every page, and TransactWriteItems with
each failed condition turned into the domain error its action names (the table resource has
no transactions of its own)."""

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import ConditionBase, Key
from botocore.exceptions import ClientError

from firmchat.domain.paging import Listing
from firmchat.errors import FirmchatError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

type Item = dict[str, Any]

# BatchGetItem takes at most 100 keys a request.
BATCH_GET_LIMIT = 100
# Requests one batch of keys may take while DynamoDB leaves some unprocessed (throttled),
# waiting longer between each, before the operation fails.
BATCH_GET_ATTEMPTS = 6


def plain(value: Any) -> Any:
    """DynamoDB's numbers as ints, sets and lists as lists, recursively."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {name: plain(inner) for name, inner in value.items()}
    if isinstance(value, list | set):
        return [plain(inner) for inner in value]
    return value


def batch_get(
    table: "Table", wanted: Iterable[Mapping[str, str]], *, consistent: bool = False
) -> list[Item]:
    """The items of those keys that exist (each key once), in BatchGetItem requests of 100
    keys; keys DynamoDB leaves unprocessed are asked again after a growing wait."""
    unique = list({(key["PK"], key["SK"]): dict(key) for key in wanted}.values())
    client = table.meta.client
    read: dict[str, Any] = {"ConsistentRead": True} if consistent else {}
    found: list[Item] = []
    for chunk in batched(unique, BATCH_GET_LIMIT, strict=False):
        pending: dict[str, Any] = {table.name: {"Keys": list(chunk), **read}}
        for attempt in range(BATCH_GET_ATTEMPTS):
            if attempt:
                time.sleep(0.05 * 2**attempt)
            answer = client.batch_get_item(RequestItems=pending)
            found.extend(plain(item) for item in answer["Responses"].get(table.name, []))
            pending = dict(answer.get("UnprocessedKeys") or {})
            if not pending:
                break
        else:
            raise RuntimeError(
                f"DynamoDB left keys unprocessed after {BATCH_GET_ATTEMPTS} attempts"
            )
    return found


def query_page(
    table: "Table",
    listing: Listing,
    cursor: str | None,
    condition: ConditionBase | None = None,
    **arguments: Any,
) -> tuple[list[Item], dict[str, Any] | None]:
    """One Query page of the listing (its whole partition unless `condition` narrows it),
    from the cursor on: the items and DynamoDB's LastEvaluatedKey."""
    request: dict[str, Any] = {
        "KeyConditionExpression": condition
        if condition is not None
        else Key(listing.partition_attribute).eq(listing.partition),
        **arguments,
    }
    if listing.index:
        request["IndexName"] = listing.index
    start = listing.start_key(cursor)
    if start:
        request["ExclusiveStartKey"] = start
    response = table.query(**request)
    return [plain(item) for item in response["Items"]], response.get("LastEvaluatedKey")


def query_all(table: "Table", condition: ConditionBase, **extra: Any) -> Iterator[Item]:
    """Every item of every page of one Query (`extra`: more Query parameters)."""
    arguments: dict[str, Any] = {"KeyConditionExpression": condition, **extra}
    while True:
        response = table.query(**arguments)
        yield from (plain(item) for item in response["Items"])
        if "LastEvaluatedKey" not in response:
            return
        arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]


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
