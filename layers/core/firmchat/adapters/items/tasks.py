"""A thread's task list as one item of its partition (docs/data-model.md, "Client tasks")."""

from collections.abc import Mapping
from typing import Any

from firmchat.adapters.dynamo import Item, plain
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.tasks import TaskList


def tasks_key(firm_id: str, thread_id: str) -> dict[str, str]:
    return {"PK": keys.thread_partition(firm_id, thread_id), "SK": keys.TASKS}


def tasks_item(tasks: TaskList) -> Item:
    return {
        **tasks_key(tasks.firm_id, tasks.thread_id),
        "kind": ItemKind.TASKS.value,
        **tasks.model_dump(mode="json"),
    }


def tasks_from_item(item: Mapping[str, Any]) -> TaskList:
    return TaskList.model_validate(plain(dict(item)))
