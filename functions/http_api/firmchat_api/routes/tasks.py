"""Client tasks (spec TK-1 to TK-7): the same services the WebSocket actions use."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from firmchat.domain.paging import page_size
from firmchat.domain.tasks import AddTasks, TaskDone, TaskOrder
from firmchat.domain.views import TasksView, ThreadView
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.wiring import tasks

router = APIRouter(tags=["tasks"])

Size = Annotated[int | None, Query(description="25 (default), 50, 100 or 250")]
Cursor = Annotated[str | None, Query(max_length=2048)]


class OpenTasksRow(BaseModel):
    thread: ThreadView
    tasks: TasksView


class OpenTasksPage(BaseModel):
    threads: list[OpenTasksRow]
    cursor: str | None


@router.get("/threads/{thread_id}/tasks")
def thread_tasks(principal: CurrentPrincipal, thread_id: ResourceId) -> TasksView:
    """TK-1: the thread's checklist, in order."""
    return tasks.of_thread(principal, thread_id)


@router.post("/threads/{thread_id}/tasks")
def add_tasks(principal: CurrentPrincipal, thread_id: ResourceId, new: AddTasks) -> TasksView:
    """TK-1: tasks appended (firm users); a retry with the same task ids adds nothing."""
    return tasks.add(principal, thread_id, new)


@router.put("/threads/{thread_id}/tasks/order")
def reorder_tasks(
    principal: CurrentPrincipal, thread_id: ResourceId, order: TaskOrder
) -> TasksView:
    """TK-2: a new order (firm users), against the order the caller saw: a stale one is a
    409 whose problem carries `current_order`."""
    return tasks.reorder(principal, thread_id, order)


@router.put("/threads/{thread_id}/tasks/{task_id}/done")
def set_task_done(
    principal: CurrentPrincipal, thread_id: ResourceId, task_id: ResourceId, done: TaskDone
) -> TasksView:
    """TK-2: check or uncheck (firm users and the account's client users)."""
    return tasks.set_done(principal, thread_id, task_id, done.done)


@router.delete("/threads/{thread_id}/tasks/{task_id}")
def delete_task(
    principal: CurrentPrincipal, thread_id: ResourceId, task_id: ResourceId
) -> TasksView:
    return tasks.delete(principal, thread_id, task_id)


@router.post("/threads/{thread_id}/tasks/resend")
def resend_tasks(principal: CurrentPrincipal, thread_id: ResourceId) -> TasksView:
    """TK-6: the list posted into the thread again (and notified as a new message)."""
    return tasks.resend(principal, thread_id)


@router.get("/dashboard/tasks")
def open_tasks(
    principal: CurrentPrincipal, size: Size = None, cursor: Cursor = None
) -> OpenTasksPage:
    """TK-7, NT-2: the client's open tasks, by thread, most recently active first."""
    page = tasks.open_for(principal, page_size(size), cursor)
    return OpenTasksPage(
        threads=[OpenTasksRow(thread=row.thread, tasks=row.tasks) for row in page.items],
        cursor=page.cursor,
    )
