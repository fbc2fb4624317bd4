"""Client tasks (spec TK-1 to TK-7): list, add, check and uncheck, reorder, delete, resend,
and the client's open tasks for the dashboard. The HTTP API and the WebSocket actions call
these same functions; every one asks the policy (`MANAGE_TASKS`, `CHECK_TASK`).

Each change is one read and one conditional transaction (firmchat.adapters.tasks): the
list, the thread's counters and filter keys, and the task-list update message (TK-3). A
change by the author of the thread's latest message, while that message is still their
task-list update, rewrites it; any other posts a new one. Completing the last open task
always posts a new one, marked `all_tasks_done`, which the inbox tells the thread's creator
and the account's members of (TK-4). Reopening or deleting a task posts nothing new.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from firmchat.domain import policy
from firmchat.domain.events import TasksChanged
from firmchat.domain.paging import Page
from firmchat.domain.policy import Operation
from firmchat.domain.principal import Principal
from firmchat.domain.richtext import clean_html, parse_task_text, plain_text
from firmchat.domain.task_input import MAX_TASK_CHARACTERS, MAX_TASKS, NewTask
from firmchat.domain.tasks import (
    AddTasks,
    NoteChange,
    Task,
    TaskList,
    TaskListNote,
    TaskOrder,
    checked_order,
    merged_note,
    too_many,
    update_html,
)
from firmchat.domain.threads import Author, Message, Thread, ThreadStatus
from firmchat.domain.views import TasksView, ThreadView, tasks_view, thread_view
from firmchat.errors import ConflictError, ForbiddenError, StaleWriteError
from firmchat.ports.clock import Clock
from firmchat.ports.tasks import TaskContext, TaskStore, TaskWrite
from firmchat.ports.threads import Events, ThreadStore
from firmchat.services.inbox import CLIENT_USERS_ONLY

ATTEMPTS = 3
"""Conditional writes that lose a race are read again and retried this often."""


@dataclass(frozen=True)
class Edit:
    """What one request does to the list: the tasks it leaves, and what the update message
    says of it (`change` None: the change posts nothing new)."""

    tasks: tuple[Task, ...]
    change: NoteChange | None = None
    task_ids: tuple[str, ...] = ()
    resend: bool = False


@dataclass(frozen=True)
class ThreadTasks:
    """One row of the client's open tasks (TK-7): the thread and its open tasks."""

    thread: ThreadView
    tasks: TasksView


def new_tasks(
    principal: Principal, wanted: Sequence[NewTask], request_id: str, now: datetime
) -> list[Task]:
    """The tasks of a request, each text sanitized (a refusal names its task)."""
    author = Author.of(principal)
    made = []
    for index, new in enumerate(wanted):
        text = parse_task_text(new.text, MAX_TASK_CHARACTERS, field=f"tasks.{index}.text")
        made.append(
            Task(
                task_id=new.chosen_id(index, request_id),
                html=text.html,
                text=text.text,
                created_by=author,
                created_at=now,
            )
        )
    if len({task.task_id for task in made}) != len(made):
        raise ConflictError("two of these tasks have the same task_id")
    return made


def first_tasks(principal: Principal, thread: Thread, wanted: Sequence[NewTask]) -> TaskList:
    """The tasks a new thread is created with (CH-3)."""
    tasks = new_tasks(principal, wanted, thread.thread_id, thread.created_at)
    return TaskList(
        firm_id=thread.firm_id,
        thread_id=thread.thread_id,
        account_id=thread.account_id,
        tasks=tuple(tasks),
        version=1,
        changed_by=Author.of(principal),
        changed_at=thread.created_at,
    )


class Tasks:
    def __init__(
        self, store: TaskStore, threads: ThreadStore, events: Events, clock: Clock
    ) -> None:
        self._store = store
        self._threads = threads
        self._events = events
        self._clock = clock

    # ------------------------------------------------------------ reads

    def _context(self, principal: Principal, thread_id: str, operation: Operation) -> TaskContext:
        context = self._store.load(principal.firm_id, thread_id, principal.user_id)
        if context.thread is None:
            raise policy.thread_not_found()
        policy.require(principal, operation, context.thread.facts())
        return context

    def of_thread(self, principal: Principal, thread_id: str) -> TasksView:
        context = self._context(principal, thread_id, Operation.SEE_THREAD)
        return tasks_view(context.tasks, principal)

    def open_for(self, principal: Principal, size: int, cursor: str | None) -> Page[ThreadTasks]:
        """TK-7, NT-2: the open tasks of the client's active threads, the thread most
        recently active first: one query of the sparse open-tasks index and one batch read
        of those threads' lists. Archived threads are not in it (CH-11) until reopened."""
        if not principal.is_client_user or principal.account_id is None:
            raise ForbiddenError(CLIENT_USERS_ONLY)
        page = self._threads.account_threads(
            principal.firm_id,
            principal.account_id,
            ThreadStatus.ACTIVE,
            size,
            cursor,
            tasks="not_completed",
        )
        visible = [
            thread
            for thread in page.items
            if policy.allowed(principal, Operation.SEE_THREAD, thread.facts())
        ]
        ids = [thread.thread_id for thread in visible]
        lists = self._store.lists(principal.firm_id, ids)
        reads = self._threads.read_seqs(principal.firm_id, principal.user_id, ids)
        rows = [
            ThreadTasks(
                thread=thread_view(thread, principal, reads[thread.thread_id]),
                tasks=tasks_view(lists[thread.thread_id], principal, only_open=True),
            )
            for thread in visible
            if thread.thread_id in lists
        ]
        return Page(items=rows, cursor=page.cursor)

    # ------------------------------------------------------------ changes

    def add(self, principal: Principal, thread_id: str, request: AddTasks) -> TasksView:
        """TK-1: tasks appended in the order given; a retry with the same task ids adds
        nothing twice (the same id with another text is a 409)."""
        request_id = uuid.uuid4().hex

        def edit(tasks: TaskList, now: datetime) -> Edit | None:
            made = new_tasks(principal, request.tasks, request_id, now)
            by_id = {task.task_id: task for task in tasks.tasks}
            fresh = []
            for task in made:
                before = by_id.get(task.task_id)
                if before is None:
                    fresh.append(task)
                elif before.html != task.html:
                    raise ConflictError(
                        f"task {task.task_id} exists with another text; use a new task_id"
                    )
            if not fresh:
                return None
            if tasks.total + len(fresh) > MAX_TASKS:
                raise too_many(tasks.total + len(fresh))
            return Edit(
                tasks=(*tasks.tasks, *fresh),
                change="created",
                task_ids=tuple(task.task_id for task in fresh),
            )

        return self._change(principal, thread_id, Operation.MANAGE_TASKS, edit)

    def set_done(self, principal: Principal, thread_id: str, task_id: str, done: bool) -> TasksView:
        """TK-2: check or uncheck (checking what is checked changes nothing)."""

        def edit(tasks: TaskList, now: datetime) -> Edit | None:
            task = tasks.task(task_id)
            if task.done == done:
                return None
            changed = task.model_copy(
                update={
                    "done": done,
                    "done_by": Author.of(principal) if done else None,
                    "done_at": now if done else None,
                }
            )
            return Edit(
                tasks=tuple(changed if t.task_id == task_id else t for t in tasks.tasks),
                change="completed" if done else "reopened",
                task_ids=(task_id,),
            )

        return self._change(principal, thread_id, Operation.CHECK_TASK, edit)

    def reorder(self, principal: Principal, thread_id: str, request: TaskOrder) -> TasksView:
        """TK-2: a new order of the same tasks, made against the order the caller saw; a
        stale one is a 409 carrying the order as it is now (StaleOrderError)."""

        def edit(tasks: TaskList, now: datetime) -> Edit | None:
            order = checked_order(tasks, request)
            if order == tasks.order:
                return None
            by_id = {task.task_id: task for task in tasks.tasks}
            return Edit(tasks=tuple(by_id[task_id] for task_id in order))

        return self._change(principal, thread_id, Operation.MANAGE_TASKS, edit)

    def delete(self, principal: Principal, thread_id: str, task_id: str) -> TasksView:
        def edit(tasks: TaskList, now: datetime) -> Edit | None:
            tasks.task(task_id)
            return Edit(
                tasks=tuple(task for task in tasks.tasks if task.task_id != task_id),
                change="deleted",
                task_ids=(task_id,),
            )

        return self._change(principal, thread_id, Operation.MANAGE_TASKS, edit)

    def resend(self, principal: Principal, thread_id: str) -> TasksView:
        """TK-6: the current list posted into the thread again, as a new message (which
        notifies as any new message does)."""

        def edit(tasks: TaskList, now: datetime) -> Edit | None:
            if not tasks.tasks:
                raise ConflictError("this thread has no tasks to resend")
            return Edit(tasks=tasks.tasks, resend=True)

        return self._change(principal, thread_id, Operation.MANAGE_TASKS, edit)

    def _change(
        self,
        principal: Principal,
        thread_id: str,
        operation: Operation,
        edit: Callable[[TaskList, datetime], Edit | None],
    ) -> TasksView:
        for _ in range(ATTEMPTS):
            context = self._context(principal, thread_id, operation)
            thread, tasks = context.thread, context.tasks
            assert thread is not None
            if thread.status is ThreadStatus.ARCHIVED:
                raise ConflictError("this thread is archived: reopen it to change its tasks")
            now = self._clock.now()
            change = edit(tasks, now)
            if change is None:
                return tasks_view(tasks, principal)
            write = self._write(principal, context, change, now)
            try:
                self._store.save(write)
            except StaleWriteError:
                continue
            self._events.publish(
                TasksChanged(thread=write.updated, tasks=write.tasks, message=write.message)
            )
            return tasks_view(write.tasks, principal)
        raise StaleWriteError

    def _write(
        self, principal: Principal, context: TaskContext, change: Edit, now: datetime
    ) -> TaskWrite:
        thread, old = context.thread, context.tasks
        assert thread is not None
        author = Author.of(principal)
        listed = old.model_copy(
            update={
                "tasks": change.tasks,
                "version": old.version + 1,
                "changed_by": author,
                "changed_at": now,
                "account_id": thread.account_id,
            }
        )
        completes_all = change.change == "completed" and listed.all_done and not old.all_done
        latest = old.update
        mergeable = (
            latest is not None
            and latest.seq == thread.seq
            and latest.author_id == principal.user_id
            and not latest.resent
            and not completes_all
            and not change.resend
        )
        note: TaskListNote | None = None
        is_new = False
        if mergeable and latest is not None and change.change is not None:
            note = merged_note(latest, change.change, change.task_ids, all_done=False)
        elif change.resend or change.change in ("created", "completed"):
            is_new = True
            note = merged_note(
                TaskListNote(
                    seq=thread.seq + 1,
                    client_id=f"tasks-{listed.version:06d}",
                    created_at=now,
                    author_id=principal.user_id,
                    resent=change.resend,
                ),
                change.change or "created",
                change.task_ids,
                all_done=completes_all,
            )
        if note is None:
            counted = _counted(thread, listed)
            return TaskWrite(thread=thread, updated=counted, old_version=old.version, tasks=listed)
        listed = listed.model_copy(update={"update": note})
        html = clean_html(update_html(listed, note))  # built of sanitized parts; cleaned anyway
        message = Message(
            thread_id=thread.thread_id,
            seq=note.seq,
            client_id=note.client_id,
            author=author,
            html=html,
            text=plain_text(html),
            created_at=note.created_at,
            task_update=True,
            all_tasks_done=note.all_done,
        )
        updated = _counted(thread, listed)
        if is_new:
            side = "firm_read_seq" if principal.is_firm_user else "client_read_seq"
            updated = updated.model_copy(
                update={
                    "seq": message.seq,
                    "last_activity_at": now,
                    "last_author": author,
                    side: message.seq,
                }
            )
        return TaskWrite(
            thread=thread,
            updated=updated,
            old_version=old.version,
            tasks=listed,
            message=message,
            message_is_new=is_new,
            read_seq=context.read_seq,
        )


def _counted(thread: Thread, tasks: TaskList) -> Thread:
    return thread.model_copy(update={"tasks_done": tasks.done, "tasks_total": tasks.total})
