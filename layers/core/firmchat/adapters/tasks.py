"""The task store: a thread's task list, its counters on the thread item and its task-list
update message, written together (docs/data-model.md, "Client tasks"). A change is one
BatchGetItem (thread, tasks, the author's read state) and one TransactWriteItems, whatever
the size of the firm or the thread."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from firmchat.adapters.dynamo import Action, batch_get, transact
from firmchat.adapters.items.tasks import tasks_from_item, tasks_item, tasks_key
from firmchat.adapters.items.threads import message_item, task_index_keys, thread_key
from firmchat.adapters.threads import _live, _read_writes, _side_read_attribute, _summary_update
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.tasks import TaskList
from firmchat.domain.threads import ThreadStatus
from firmchat.errors import StaleWriteError
from firmchat.ports.tasks import TaskContext, TaskWrite

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class DynamoTaskStore:
    def __init__(self, table: "Table") -> None:
        self._table = table

    def load(self, firm_id: str, thread_id: str, user_id: str) -> TaskContext:
        partition = keys.thread_partition(firm_id, thread_id)
        wanted = [keys.THREAD, keys.TASKS, keys.reader_sort_key(user_id)]
        found = {
            item["SK"]: item
            for item in batch_get(
                self._table, [{"PK": partition, "SK": sk} for sk in wanted], consistent=True
            )
        }
        thread = _live(found.get(keys.THREAD))
        item = found.get(keys.TASKS)
        tasks = (
            tasks_from_item(item)
            if item
            else TaskList(
                firm_id=firm_id,
                thread_id=thread_id,
                account_id=thread.account_id if thread else "",
            )
        )
        read = found.get(keys.reader_sort_key(user_id), {})
        return TaskContext(thread=thread, tasks=tasks, read_seq=int(read.get("seq", 0)))

    def lists(self, firm_id: str, thread_ids: Sequence[str]) -> dict[str, TaskList]:
        """The task lists of those threads that have one, in one BatchGetItem per 100."""
        found = batch_get(self._table, [tasks_key(firm_id, thread_id) for thread_id in thread_ids])
        return {str(item["thread_id"]): tasks_from_item(item) for item in found}

    def save(self, write: TaskWrite) -> None:
        """All of it or none: the list (if its version is still the one read), the thread's
        counters and filter keys (if it is still active and no message came meanwhile), and
        the update message, new (with the author's read state and the account's count) or
        rewritten in place."""
        thread, updated, message = write.thread, write.updated, write.message
        values: dict[str, object] = {
            ":done": updated.tasks_done,
            ":total": updated.tasks_total,
            ":thread": ItemKind.THREAD.value,
            ":active": ThreadStatus.ACTIVE.value,
            ":old_seq": thread.seq,
        }
        sets = ["tasks_done = :done", "tasks_total = :total"]
        index_keys = task_index_keys(updated)
        sets += [f"{name} = :{name}" for name in index_keys]
        values.update({f":{name}": value for name, value in index_keys.items()})
        appended = message is not None and write.message_is_new
        if message is not None and appended:
            side = _side_read_attribute(message.author.kind)
            at = updated.last_activity_at.isoformat()
            sets += [
                "seq = :seq",
                "last_activity_at = :at",
                "last_author = :author",
                f"{side} = :seq",
                "GSI1SK = :activity",
                "GSI2SK = :activity",
            ]
            values.update(
                {
                    ":seq": updated.seq,
                    ":at": at,
                    ":author": updated.last_author.model_dump(mode="json"),
                    ":activity": keys.activity_sort_key(at, thread.thread_id),
                }
            )
        expression = "SET " + ", ".join(sets)
        if not index_keys:
            expression += " REMOVE GSI3PK, GSI4PK"
        thread_update = {
            "Key": thread_key(thread),
            "UpdateExpression": expression,
            "ConditionExpression": "#kind = :thread AND #status = :active AND seq = :old_seq",
            "ExpressionAttributeNames": {"#kind": "kind", "#status": "status"},
            "ExpressionAttributeValues": values,
        }
        tasks_put = {
            "Item": tasks_item(write.tasks),
            "ConditionExpression": "attribute_not_exists(SK) OR version = :version",
            "ExpressionAttributeValues": {":version": write.old_version},
        }
        actions = [
            Action("Put", tasks_put, StaleWriteError()),
            Action("Update", thread_update, StaleWriteError()),
        ]
        if message is not None:
            condition = "attribute_not_exists(SK)" if appended else "attribute_exists(SK)"
            actions.append(
                Action(
                    "Put",
                    {"Item": message_item(thread, message), "ConditionExpression": condition},
                    StaleWriteError(),
                )
            )
        if message is not None and appended:
            actions += _read_writes(thread, message.author.user_id, write.read_seq, message.seq)
            actions.append(
                _summary_update(thread, {"messages": 1}, updated.last_activity_at.isoformat())
            )
        transact(self._table, actions)
