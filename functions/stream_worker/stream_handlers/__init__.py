"""What the stream worker does with each kind of changed item.

Each feature keeps its handlers in a module of its own here, exposing `HANDLERS`, a mapping
from an item kind (`ItemKind`) to the function to call with each `Change` of that kind (its
item before and after, decoded into domain models), and lists the module in `MODULES`. A
kind may have handlers in several modules; they run in `MODULES` order. Handlers must be
idempotent: a failed record is retried with the rest of its shard.
"""

from collections.abc import Mapping, Sequence
from types import ModuleType

from firmchat.domain.changes import Handler, ItemKind
from stream_handlers import access, documents, notifications, purge, tasks

MODULES: Sequence[ModuleType] = (access, purge, documents, notifications, tasks)


def dispatch_table(
    modules: Sequence[ModuleType] = MODULES,
) -> dict[ItemKind, list[Handler]]:
    table: dict[ItemKind, list[Handler]] = {}
    for module in modules:
        handlers: Mapping[ItemKind, Handler] = module.HANDLERS
        for kind, handler in handlers.items():
            table.setdefault(kind, []).append(handler)
    return table
