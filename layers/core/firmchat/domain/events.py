"""What happens to a thread, as the services announce it: one typed event per kind.

Events carry the thread as stored (firm-internal fields and all); what each receiver is
shown of one is decided in `firmchat.domain.views.frame_for`, per audience.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from firmchat.domain.documents import DocumentView
from firmchat.domain.tasks import TaskList
from firmchat.domain.threads import Author, Message, Thread


class ThreadEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    thread: Thread
    shows_thread: bool = True
    """The frames show the thread, so each carries its receiver's unread counts."""


class ThreadChanged(ThreadEvent):
    type: Literal["thread_created", "thread_archived", "thread_reopened"]


class ThreadDeleted(ThreadEvent):
    type: Literal["thread_deleted"] = "thread_deleted"
    shows_thread: bool = False


class MessagePosted(ThreadEvent):
    type: Literal["message"] = "message"
    message: Message


class ReadMoved(ThreadEvent):
    type: Literal["read"] = "read"
    user_id: str
    read_seq: int


class Typing(ThreadEvent):
    type: Literal["typing"] = "typing"
    shows_thread: bool = False
    author: Author


class DocumentChanged(ThreadEvent):
    """A document of the thread arrived (DC-5) or its scan settled."""

    type: Literal["document_added", "document_changed"]
    shows_thread: bool = False
    document: DocumentView


class DocumentDeleted(ThreadEvent):
    type: Literal["document_deleted"] = "document_deleted"
    shows_thread: bool = False
    document_id: str


class TasksChanged(ThreadEvent):
    """The thread's tasks changed (TK-1 to TK-6), with the task-list update message the
    change posted or rewrote, if any."""

    type: Literal["tasks"] = "tasks"
    tasks: TaskList
    message: Message | None = None


type Event = (
    ThreadChanged
    | ThreadDeleted
    | MessagePosted
    | ReadMoved
    | Typing
    | DocumentChanged
    | DocumentDeleted
    | TasksChanged
)
