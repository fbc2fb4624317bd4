"""moto's DynamoDB, made to hold a firm's volume. `install()` patches moto's classes in the
local cloud's process only (tests of the core keep plain moto), written against moto 5.2.5:

- `DynamoDBBackend.transact_write_items` rolled a cancelled transaction back by swapping in
  a `copy.deepcopy` of every table it named, taken before it started (once per item): a
  transaction cost as much as the whole table, stream records included, and the swap left
  the stream poller reading a shard no table had any more. Here moto's own body runs
  against the live tables and an undo log of the items it touches puts them back: each
  touched item's previous version (or its absence) and the stream's length before.
- Stream records are kept 24 hours, as on AWS (wall time: the records carry it), instead of
  forever; reading before what is kept answers `TrimmedDataAccessException`.
- Shard iterators expire after 15 minutes, as on AWS, instead of every `GetRecords` adding
  one for good; an expired one answers `ExpiredIteratorException`.
"""

import copy
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table
from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator

MOTO_VERSION = "5.2.5"  # the version whose code this replaces: re-read it when moto moves
STREAM_RETENTION = timedelta(hours=24)
ITERATOR_SECONDS = 15 * 60

_original_transact = DynamoDBBackend.transact_write_items
_original_add = StreamShard.add
_original_get = StreamShard.get
_original_iterator_init = ShardIterator.__init__
_original_get_records = DynamoDBStreamsBackend.get_records


@dataclass
class _Touched:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    before: Item | None


class _UndoLog:
    """What a transaction changed, enough to put it back."""

    def __init__(self, backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        self.touched: list[_Touched] = []
        self.stream_ends: dict[str, tuple[StreamShard, int]] = {}
        for entry in transact_items:
            op = next(iter(entry.values()), None)
            if not isinstance(op, dict) or op.get("TableName") not in backend.tables:
                continue  # moto's own checks refuse it
            table = backend.tables[op["TableName"]]
            if table.stream_shard is not None and table.name not in self.stream_ends:
                shard = table.stream_shard
                self.stream_ends[table.name] = (shard, _next_sequence(shard))
            key = op.get("Key") or {
                name: op.get("Item", {}).get(name)
                for name in (table.hash_key_attr, table.range_key_attr)
                if name is not None
            }
            hash_value = key.get(table.hash_key_attr)
            if hash_value is None:
                continue
            hash_key = DynamoType(hash_value)
            range_value = key.get(table.range_key_attr) if table.range_key_attr else None
            range_key = DynamoType(range_value) if range_value is not None else None
            before = table.get_item(hash_key, range_key)
            self.touched.append(_Touched(table, hash_key, range_key, copy.deepcopy(before)))

    def undo(self) -> None:
        for touched in reversed(self.touched):
            items: Any = touched.table.items
            if touched.range_key is None:
                if touched.before is None:
                    items.pop(touched.hash_key, None)
                else:
                    items[touched.hash_key] = touched.before
                continue
            if touched.before is not None:
                items[touched.hash_key][touched.range_key] = touched.before
            elif touched.hash_key in items:
                items[touched.hash_key].pop(touched.range_key, None)
                if not items[touched.hash_key]:
                    del items[touched.hash_key]
        for shard, end in self.stream_ends.values():
            del shard.items[max(0, end - shard.starting_sequence_number) :]


_copy_lock = threading.Lock()


@contextmanager
def _no_table_copies() -> Iterator[None]:
    """moto's body deep-copies each table it names and, when cancelled, puts the copies in
    place of the tables. While it runs a table copies as itself, so that swap changes
    nothing; items still copy as items (moto's update_item copies the old image)."""
    with _copy_lock:
        Table.__deepcopy__ = _table_as_itself  # type: ignore[attr-defined]
        try:
            yield
        finally:
            del Table.__deepcopy__  # type: ignore[attr-defined]


def _table_as_itself(table: Table, memo: dict[int, Any]) -> Table:
    return table


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    undo = _UndoLog(self, transact_items)
    try:
        with _no_table_copies():
            _original_transact(self, transact_items)
    except Exception:
        undo.undo()
        raise


def _next_sequence(shard: StreamShard) -> int:
    return shard.starting_sequence_number + len(shard.items)


def _add_and_trim(self: StreamShard, old: Item | None, new: Item | None) -> None:
    _original_add(self, old, new)
    horizon = utcnow() - STREAM_RETENTION
    expired = 0
    while expired < len(self.items) and (
        self.items[expired].record["dynamodb"]["ApproximateCreationDateTime"] < horizon
    ):
        expired += 1
    if expired:
        del self.items[:expired]
        self.starting_sequence_number += expired


class TrimmedDataAccessError(JsonRESTError):
    def __init__(self) -> None:
        super().__init__(
            "TrimmedDataAccessException",
            "the records asked for are older than the stream keeps (24 hours)",
        )


class ExpiredIteratorError(JsonRESTError):
    def __init__(self) -> None:
        super().__init__(
            "ExpiredIteratorException", "the shard iterator is unknown or older than 15 minutes"
        )


def _get_kept(self: StreamShard, start: int, quantity: int) -> list[dict[str, Any]]:
    if start < self.starting_sequence_number:
        raise TrimmedDataAccessError()
    return _original_get(self, start, quantity)


def _iterator_init(self: ShardIterator, *arguments: Any, **settings: Any) -> None:
    _original_iterator_init(self, *arguments, **settings)
    self.issued_at = time.monotonic()  # type: ignore[attr-defined]


def _get_live_records(self: DynamoDBStreamsBackend, iterator_arn: str, limit: int) -> Any:
    iterators = self.shard_iterators
    deadline = time.monotonic() - ITERATOR_SECONDS
    while iterators:  # oldest first: stop at the first one still valid
        oldest = next(iter(iterators))
        if getattr(iterators[oldest], "issued_at", deadline) > deadline:
            break
        del iterators[oldest]
    if iterator_arn not in iterators:
        raise ExpiredIteratorError()
    return _original_get_records(self, iterator_arn, limit)


# (class, attribute, replacement): what install() sets.
PATCHES: list[tuple[type, str, Callable[..., Any]]] = [
    (DynamoDBBackend, "transact_write_items", _transact_write_items),
    (StreamShard, "add", _add_and_trim),
    (StreamShard, "get", _get_kept),
    (ShardIterator, "__init__", _iterator_init),
    (DynamoDBStreamsBackend, "get_records", _get_live_records),
]


def install() -> None:
    """Patches moto's classes in this process; safe to call twice."""
    for owner, name, replacement in PATCHES:
        setattr(owner, name, replacement)
