"""The WebSocket's actions (`$default` route, chosen by the frame's `action`): each frame is
read into a model (unknown fields refused, as on the HTTP API), calls the same service as
the HTTP API, and gives the one frame answered to the sender. Errors are raised as domain
errors; the handler turns them into error frames through the one error table."""

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from firmchat.domain.principal import Principal
from firmchat.domain.tasks import AddTasks, TaskDone, TaskOrder
from firmchat.domain.text import KeyPart
from firmchat.domain.threads import NewMessage
from firmchat.domain.views import TasksView
from firmchat.errors import InvalidInputError, MalformedRequestError
from firmchat.services.messages import Messages
from firmchat.services.tasks import Tasks

ThreadId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ThreadFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str
    thread_id: ThreadId


class SendFrame(ThreadFrame, NewMessage):
    """A message for the thread: the HTTP API's message body plus where it goes."""

    action: Literal["send"]


class MarkReadFrame(ThreadFrame):
    action: Literal["mark_read"]
    up_to: int | None = Field(default=None, ge=1, description="a message number; default all")


class TypingFrame(ThreadFrame):
    action: Literal["typing"]


class AddTasksFrame(ThreadFrame, AddTasks):
    action: Literal["add_tasks"]


class TaskDoneFrame(ThreadFrame, TaskDone):
    action: Literal["set_task_done"]
    task_id: KeyPart


class DeleteTaskFrame(ThreadFrame):
    action: Literal["delete_task"]
    task_id: KeyPart


class ReorderTasksFrame(ThreadFrame, TaskOrder):
    action: Literal["reorder_tasks"]


class ResendTasksFrame(ThreadFrame):
    action: Literal["resend_tasks"]


type Frame = dict[str, Any]


def _read[Model: BaseModel](model: type[Model], frame: Frame) -> Model:
    try:
        return model.model_validate(frame)
    except ValidationError as error:
        raise InvalidInputError.of_problems(
            [
                (".".join(str(part) for part in problem["loc"]), problem["msg"])
                for problem in error.errors()
            ]
        ) from error


def parse_frame(body: str | None) -> Frame:
    """The frame a socket sent, as a JSON object (MalformedRequestError otherwise)."""
    try:
        frame = json.loads(body or "")
    except json.JSONDecodeError as error:
        raise MalformedRequestError("a frame must be a JSON object with an 'action'") from error
    if not isinstance(frame, dict):
        raise MalformedRequestError("a frame must be a JSON object with an 'action'")
    return frame


class SocketActions:
    def __init__(self, messages: Messages, tasks: Tasks) -> None:
        self._messages = messages
        self._tasks = tasks
        self._actions: dict[str, Callable[[Principal, Frame], Frame]] = {
            "ping": self.ping,
            "send": self.send,
            "mark_read": self.mark_read,
            "typing": self.typing,
            "add_tasks": self.add_tasks,
            "set_task_done": self.set_task_done,
            "delete_task": self.delete_task,
            "reorder_tasks": self.reorder_tasks,
            "resend_tasks": self.resend_tasks,
        }

    def answer(self, principal: Principal, frame: Frame) -> Frame:
        """The reply to one frame of a signed-in person."""
        action = self._actions.get(str(frame.get("action")))
        if action is None:
            raise InvalidInputError(
                f"unknown action; known actions: {', '.join(sorted(self._actions))}",
                field="action",
            )
        return action(principal, frame)

    def ping(self, principal: Principal, frame: Frame) -> Frame:
        return {"type": "pong", "echo": frame.get("echo")}

    def send(self, principal: Principal, frame: Frame) -> Frame:
        """MS-1 over the socket; `created` is false for a retry of the same client id."""
        request = _read(SendFrame, frame)
        view, created = self._messages.post(principal, request.thread_id, request)
        return {
            "type": "sent",
            "client_id": view.client_id,
            "created": created,
            "message": view.model_dump(mode="json"),
        }

    def mark_read(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(MarkReadFrame, frame)
        view = self._messages.mark_read(principal, request.thread_id, request.up_to)
        return {"type": "marked_read", "thread": view.model_dump(mode="json")}

    def typing(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(TypingFrame, frame)
        self._messages.typing(principal, request.thread_id)
        return {"type": "typing_sent", "thread_id": request.thread_id}

    # ------------------------------------------------------------ client tasks (TK-1 to TK-6)

    def add_tasks(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(AddTasksFrame, frame)
        return _tasks_frame(self._tasks.add(principal, request.thread_id, request))

    def set_task_done(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(TaskDoneFrame, frame)
        view = self._tasks.set_done(principal, request.thread_id, request.task_id, request.done)
        return _tasks_frame(view)

    def delete_task(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(DeleteTaskFrame, frame)
        return _tasks_frame(self._tasks.delete(principal, request.thread_id, request.task_id))

    def reorder_tasks(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(ReorderTasksFrame, frame)
        return _tasks_frame(self._tasks.reorder(principal, request.thread_id, request))

    def resend_tasks(self, principal: Principal, frame: Frame) -> Frame:
        request = _read(ResendTasksFrame, frame)
        return _tasks_frame(self._tasks.resend(principal, request.thread_id))


def _tasks_frame(view: TasksView) -> Frame:
    return {"type": "tasks_saved", "tasks": view.model_dump(mode="json")}
