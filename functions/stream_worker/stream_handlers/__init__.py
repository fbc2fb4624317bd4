"""What the stream worker does with each kind of changed item.

Each feature keeps its handlers in a module of its own here, exposing `HANDLERS`, a mapping
from an item kind to the functions to call with each `Change` of that kind, and lists the
module in `MODULES`. A kind may have handlers in several modules; they run in `MODULES`
order. Handlers must be idempotent: a failed record is retried with the rest of its shard.
"""

from collections.abc import Mapping, Sequence
from types import ModuleType

from stream_handlers import access
from stream_handlers.change import Handler

MODULES: Sequence[ModuleType] = (access,)


def dispatch_table(modules: Sequence[ModuleType] = MODULES) -> dict[str, list[Handler]]:
    table: dict[str, list[Handler]] = {}
    for module in modules:
        handlers: Mapping[str, Handler] = module.HANDLERS
        for kind, handler in handlers.items():
            table.setdefault(kind, []).append(handler)
    return table
