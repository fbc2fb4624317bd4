"""Pages and cursors of every list (spec CH-8: 25 by default, 50, 100 or 250 on request).

A cursor is DynamoDB's LastEvaluatedKey, made opaque (base64url of JSON) and bound to the
one partition its list reads. Decoding checks the binding, so a cursor cannot name an item
of another firm, another account or another list: the partition-key values must be the
very ones of the query, and every base-table partition key must be the caller's firm.
Anything malformed, foreign or tampered with that way is a 400 that says to start again.

The sort key must lie in the range the list queries (`sort_prefix`), and every key part is
a short, encodable string, or DynamoDB would refuse the start key (a 500 on AWS, though
moto takes it). Cursors are not signed: within its own partition and range a hand-edited
cursor can only start the same list, which the caller may read anyway, somewhere else;
every row is still filtered by the access policy before it is returned.
"""

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from firmchat.domain.keys import firm_partition
from firmchat.errors import InvalidInputError

PAGE_SIZES: Final = (25, 50, 100, 250)
DEFAULT_PAGE_SIZE: Final = PAGE_SIZES[0]
MAX_CURSOR_LENGTH: Final = 2048
MAX_KEY_PART_BYTES: Final = 1024
"""DynamoDB's limit for a sort key value (partition keys may be 2048); ours stay far below."""

type Key = dict[str, str]


def page_size(requested: int | None) -> int:
    """The page size asked for, or the default; anything else is refused."""
    if requested is None:
        return DEFAULT_PAGE_SIZE
    if requested not in PAGE_SIZES:
        sizes = ", ".join(str(size) for size in PAGE_SIZES)
        raise InvalidInputError(
            f"page size {requested} is not offered; choose one of {sizes}", field="size"
        )
    return requested


def _invalid_cursor() -> InvalidInputError:
    return InvalidInputError(
        "the cursor is not one this list gave out; start again from the first page",
        field="cursor",
    )


@dataclass(frozen=True)
class Listing:
    """One list: the partition of the table or of an index that it queries.

    `index` is None for the table (keys PK, SK) or an index name such as "GSI1" (keys
    GSI1PK, GSI1SK, plus the table's PK and SK, as DynamoDB returns them). `sort_prefix`
    is the range of sort keys the list's query asks for (all of them when empty).
    """

    firm_id: str
    partition: str
    index: str | None = None
    sort_prefix: str = ""
    sorted_on: str | None = None
    """The index's sort attribute when it is not `{index}SK` (GSI3 and GSI4 sort on GSI1SK)."""

    def __post_init__(self) -> None:
        if not self._is_the_firms(self.partition):
            raise ValueError("a listing must read a partition of its own firm")

    @property
    def partition_attribute(self) -> str:
        return f"{self.index}PK" if self.index else "PK"

    @property
    def sort_attribute(self) -> str:
        if self.sorted_on:
            return self.sorted_on
        return f"{self.index}SK" if self.index else "SK"

    @property
    def key_attributes(self) -> frozenset[str]:
        own = {"PK", "SK"}
        index = {self.partition_attribute, self.sort_attribute}
        return frozenset(own | index if self.index else own)

    def _is_the_firms(self, partition: str) -> bool:
        firm = firm_partition(self.firm_id)
        return partition == firm or partition.startswith(f"{firm}#")

    def cursor(self, last_key: Mapping[str, object] | None) -> str | None:
        """The cursor of the next page, or None on the last page."""
        if not last_key:
            return None
        payload = json.dumps(
            {"p": self.partition, "k": dict(last_key)}, separators=(",", ":"), sort_keys=True
        )
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def start_key(self, cursor: str | None) -> Key | None:
        """The ExclusiveStartKey a cursor stands for; None for the first page."""
        if cursor is None:
            return None
        if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
            raise _invalid_cursor()
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload = json.loads(raw)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise _invalid_cursor() from error
        key = payload.get("k") if isinstance(payload, dict) else None
        if (
            not isinstance(key, dict)
            or payload.get("p") != self.partition
            or set(key) != self.key_attributes
            or not all(_key_part(value) for value in key.values())
            or key[self.partition_attribute] != self.partition
            or not key[self.sort_attribute].startswith(self.sort_prefix)
            or not self._is_the_firms(key["PK"])
        ):
            raise _invalid_cursor()
        return {str(name): str(value) for name, value in key.items()}


def _key_part(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        return len(value.encode()) <= MAX_KEY_PART_BYTES
    except UnicodeEncodeError:
        return False


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    cursor: str | None
