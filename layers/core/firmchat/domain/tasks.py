"""Client tasks (spec TK-1 to TK-9): a thread's checklist, what a request may say of it, and
the task-list update messages it posts into the thread (TK-3, TK-6).

A thread's tasks are one item (`TaskList`) beside the thread, carrying them in order and a
version every write is conditioned on (docs/data-model.md, "Client tasks"); the thread item
carries the done/total counters its rows show and the task filters list by (CH-8).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from firmchat.domain.task_input import MAX_TASKS, NewTasks
from firmchat.domain.text import KeyPart
from firmchat.domain.threads import Author
from firmchat.errors import ConflictError, InvalidInputError, NotFoundError

TASK_NOT_FOUND: Final = "no such task in this thread"


class Task(BaseModel):
    model_config = ConfigDict(frozen=True)

    task_id: str
    html: str
    text: str
    done: bool = False
    created_by: Author
    created_at: datetime
    done_by: Author | None = None
    done_at: datetime | None = None


class TaskListNote(BaseModel):
    """What a task-list update message lists: the tasks created and completed since it was
    posted (or, resent, every task)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    client_id: str
    created_at: datetime
    author_id: str
    created: tuple[str, ...] = ()
    completed: tuple[str, ...] = ()
    resent: bool = False
    all_done: bool = False


class TaskList(BaseModel):
    """The thread's tasks, in order, and the version the next write is conditioned on."""

    model_config = ConfigDict(frozen=True)

    firm_id: str
    thread_id: str
    account_id: str
    tasks: tuple[Task, ...] = ()
    version: int = 0
    changed_by: Author | None = None
    changed_at: datetime | None = None
    update: TaskListNote | None = Field(
        default=None, description="the latest task-list update message posted in the thread"
    )

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def done(self) -> int:
        return sum(task.done for task in self.tasks)

    @property
    def all_done(self) -> bool:
        return bool(self.tasks) and self.done == self.total

    @property
    def open_tasks(self) -> list[Task]:
        return [task for task in self.tasks if not task.done]

    @property
    def order(self) -> list[str]:
        return [task.task_id for task in self.tasks]

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.task_id == task_id:
                return task
        raise NotFoundError(TASK_NOT_FOUND)


# ---------------------------------------------------------------- requests


class AddTasks(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"tasks": [{"text": "Sign the letter"}]}]}
    )

    tasks: NewTasks = Field(min_length=1)


class TaskOrder(BaseModel):
    """A reorder (firm users): the order the caller saw, and the order they want."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"seen": ["t-1", "t-2"], "order": ["t-2", "t-1"]}]},
    )

    seen: list[KeyPart] = Field(max_length=MAX_TASKS)
    order: list[KeyPart] = Field(max_length=MAX_TASKS)


class TaskDone(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"done": True}]})

    done: bool


class StaleOrderError(ConflictError):
    """A reorder of an order that changed meanwhile: the 409 carries the current one."""

    def __init__(self, current: Sequence[str]) -> None:
        super().__init__(
            "the tasks changed since you saw them; this is their order now: reorder again"
        )
        self.current = list(current)


def checked_order(current: TaskList, request: TaskOrder) -> list[str]:
    """The new order: a permutation of the current ids, asked by someone who saw them."""
    if len(set(request.order)) != len(request.order):
        repeated = sorted({task for task in request.order if request.order.count(task) > 1})
        raise InvalidInputError(f"tasks named twice: {', '.join(repeated)}", field="order")
    if request.seen != current.order:
        raise StaleOrderError(current.order)
    missing = sorted(set(current.order) - set(request.order))
    if missing:
        raise InvalidInputError(f"the order leaves out: {', '.join(missing)}", field="order")
    unknown = sorted(set(request.order) - set(current.order))
    if unknown:
        raise InvalidInputError(f"no such task in this thread: {', '.join(unknown)}", field="order")
    return request.order


def too_many(count: int) -> InvalidInputError:
    return InvalidInputError(
        f"a thread holds at most {MAX_TASKS} tasks; this would make {count}", field="tasks"
    )


# ---------------------------------------------------------------- task-list update messages


def _items(tasks: Sequence[Task]) -> str:
    rows = "".join(f"<li>{'[x] ' if task.done else '[ ] '}{task.html}</li>" for task in tasks)
    return f"<ul>{rows}</ul>"


def update_html(tasks: TaskList, note: TaskListNote) -> str:
    """The update message's body: what it lists, from the tasks as they are now (tasks
    deleted since are left out). Built of the tasks' sanitized HTML and escaped words."""
    by_id = {task.task_id: task for task in tasks.tasks}
    parts: list[str] = []
    if note.resent:
        parts.append(f"<p><strong>{escape('Tasks')}</strong></p>{_items(tasks.tasks)}")
    sections: list[tuple[str, tuple[str, ...]]] = [
        ("New tasks", note.created),
        ("Completed", note.completed),
    ]
    for title, ids in sections:
        shown = [by_id[task_id] for task_id in ids if task_id in by_id]
        if shown and not note.resent:
            parts.append(f"<p><strong>{title}</strong></p>{_items(shown)}")
    if note.all_done:
        parts.append("<p><strong>All tasks are done.</strong></p>")
    return "".join(parts) or "<p>The task list changed.</p>"


type NoteChange = Literal["created", "completed", "reopened", "deleted"]


def merged_note(
    note: TaskListNote, change: NoteChange, task_ids: Sequence[str], all_done: bool
) -> TaskListNote:
    """The latest update's note with this change folded in."""
    created, completed = list(note.created), list(note.completed)
    if change == "created":
        created += [task for task in task_ids if task not in created]
    elif change == "completed":
        completed += [task for task in task_ids if task not in completed]
    else:
        completed = [task for task in completed if task not in task_ids]
        if change == "deleted":
            created = [task for task in created if task not in task_ids]
    return note.model_copy(
        update={"created": tuple(created), "completed": tuple(completed), "all_done": all_done}
    )


# ---------------------------------------------------------------- events for automations (TK-9)

EVENT_SOURCE: Final = "firmchat.tasks"
EVENT_SCHEMA_VERSION: Final = 1
TASK_CREATED: Final = "Task created"
TASK_COMPLETED: Final = "Task completed"
TASK_REOPENED: Final = "Task reopened"
TASK_DELETED: Final = "Task deleted"
ALL_TASKS_COMPLETED: Final = "All tasks completed"


@dataclass(frozen=True)
class TaskEvent:
    """One event for automations (docs/events.md): `event_id` is the same for every
    redelivery of the change it comes from, and rides in `detail` for consumers."""

    event_id: str
    detail_type: str
    detail: dict[str, Any]


def task_events(old: TaskList | None, new: TaskList) -> list[TaskEvent]:
    """What one change of a thread's task list says, in the list's order: created,
    completed, reopened, deleted, and "all tasks completed" when it made every task done."""
    before = {task.task_id: task for task in old.tasks} if old is not None else {}
    after = {task.task_id: task for task in new.tasks}
    actor = new.changed_by
    common: dict[str, Any] = {
        "schema_version": EVENT_SCHEMA_VERSION,
        "firm_id": new.firm_id,
        "account_id": new.account_id,
        "thread_id": new.thread_id,
        "list_version": new.version,
        "at": new.changed_at.isoformat() if new.changed_at else None,
        "actor": {"kind": actor.kind.value, "user_id": actor.user_id, "name": actor.name}
        if actor
        else None,
    }
    events: list[TaskEvent] = []

    def add(detail_type: str, task: Task | None) -> None:
        name = detail_type.lower().replace(" ", "_")
        event_id = f"{new.thread_id}/{new.version}/{name}/{task.task_id if task else '-'}"
        detail = {**common, "event_id": event_id, "type": name}
        if task is not None:
            detail["task"] = {"task_id": task.task_id, "text": task.text, "done": task.done}
        else:
            detail["done"], detail["total"] = new.done, new.total
        events.append(TaskEvent(event_id=event_id, detail_type=detail_type, detail=detail))

    for task in new.tasks:
        earlier = before.get(task.task_id)
        if earlier is None:
            add(TASK_CREATED, task)
            if task.done:
                add(TASK_COMPLETED, task)
        elif task.done and not earlier.done:
            add(TASK_COMPLETED, task)
        elif earlier.done and not task.done:
            add(TASK_REOPENED, task)
    for task in before.values():
        if task.task_id not in after:
            add(TASK_DELETED, task)
    if new.all_done and not (old is not None and old.all_done):
        add(ALL_TASKS_COMPLETED, None)
    return events
