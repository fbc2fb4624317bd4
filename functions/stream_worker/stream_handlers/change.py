"""One changed item of the chat table, as a stream record tells it."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ChangeEvent(StrEnum):
    INSERT = "INSERT"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


@dataclass(frozen=True)
class Change:
    """`kind` is the item's own `kind` attribute (every product item carries one); `old` and
    `new` are the images as plain Python values, empty when the item did not exist."""

    event: ChangeEvent
    kind: str
    old: dict[str, Any]
    new: dict[str, Any]


type Handler = Callable[[Change], None]
