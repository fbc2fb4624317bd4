"""What the task service needs from the world (firmchat.adapters.tasks implements it), and
what publishes task events for automations (TK-9; firmchat.adapters.task_events)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from firmchat.domain.tasks import TaskEvent, TaskList
from firmchat.domain.threads import Message, Thread


@dataclass(frozen=True)
class TaskContext:
    """The thread, its tasks and how far the caller has read it, read in one request."""

    thread: Thread | None
    tasks: TaskList
    read_seq: int


@dataclass(frozen=True)
class TaskWrite:
    """One change of a thread's tasks: the thread as read and as it becomes, the list as it
    becomes (written if its version is still `old_version`), and the task-list update
    message, new or rewritten, if the change posts one."""

    thread: Thread
    updated: Thread
    old_version: int
    tasks: TaskList
    message: Message | None = None
    message_is_new: bool = False
    read_seq: int = 0


class TaskStore(Protocol):
    def load(self, firm_id: str, thread_id: str, user_id: str) -> TaskContext: ...

    def lists(self, firm_id: str, thread_ids: Sequence[str]) -> dict[str, TaskList]:
        """The task lists of those threads that have one."""
        ...

    def save(self, write: TaskWrite) -> None:
        """StaleWriteError when the list or the thread changed since they were read."""
        ...


class TaskReads(Protocol):
    """What client emails read of tasks (TK-8)."""

    def lists(self, firm_id: str, thread_ids: Sequence[str]) -> dict[str, TaskList]: ...


class TaskEventBus(Protocol):
    def publish(self, events: Sequence[TaskEvent]) -> None:
        """Every event, or an error (then none is known to have gone)."""
        ...
