"""What each audience is shown: the one place that decides the shape of a thread, a message
and every pushed frame for a firm user and for a client user.

A firm user sees what the firm works with: who is @mentioned, both sides' read positions,
the people's ids. A client user sees the conversation and its MS-5 status (whether the firm
has read their messages), never the firm's internals: no mentions, no read counters, no
firm user's id or read position. Every view carries `audience`, so a typed client (and the
published OpenAPI, as a discriminated union) tells the two apart.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from firmchat.domain.documents import DocumentView
from firmchat.domain.events import (
    DocumentChanged,
    DocumentDeleted,
    Event,
    MessagePosted,
    ReadMoved,
    TasksChanged,
    ThreadChanged,
    ThreadDeleted,
    Typing,
)
from firmchat.domain.principal import Principal, PrincipalKind
from firmchat.domain.tasks import Task, TaskList
from firmchat.domain.threads import (
    Author,
    Message,
    MessageStatus,
    MessageVia,
    Thread,
    ThreadStatus,
)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


def _example(**example: Any) -> ConfigDict:
    """A view's example for the published OpenAPI."""
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


_THREAD = {
    "thread_id": "3f0c8a52-6d7e-5b1a-9c2d-4e5f60718293",
    "account_id": "acct-babbage",
    "account_name": "Babbage Engines Ltd",
    "subject": "Year-end receipts",
    "created_at": "2026-11-23T10:00:00Z",
    "status": "active",
    "seq": 2,
    "last_activity_at": "2026-11-23T10:05:00Z",
    "tasks_done": 0,
    "tasks_total": 0,
    "documents": 0,
    "unread": 1,
}
_FIRM_AUTHOR = {"user_id": "u-ada", "kind": "firm_user", "name": "Ada Accountant"}
_MESSAGE = {
    "thread_id": _THREAD["thread_id"],
    "seq": 2,
    "client_id": "msg-7f3a9c01",
    "html": "<p>Please send the receipts</p>",
    "text": "Please send the receipts",
    "created_at": "2026-11-23T10:05:00Z",
    "status": "sent",
    "mine": False,
    "via": "portal",
}


class ClientAuthor(_View):
    """Who wrote something, as a client sees it: the side and the name."""

    model_config = _example(kind="firm_user", name="Ada Accountant")

    kind: PrincipalKind
    name: str

    @classmethod
    def of(cls, author: Author) -> "ClientAuthor":
        return cls(kind=author.kind, name=author.name)


class _ThreadBase(_View):
    thread_id: str
    account_id: str
    account_name: str | None = Field(
        default=None, description="the client account's name (set on reads and lists)"
    )
    subject: str
    created_at: datetime
    status: ThreadStatus
    seq: int = Field(description="how many messages the thread holds; numbers them")
    last_activity_at: datetime
    tasks_done: int = 0
    tasks_total: int = 0
    documents: int = 0
    unread: int = Field(description="the viewer's unread messages in the thread")


class FirmThreadView(_ThreadBase):
    model_config = _example(
        **_THREAD,
        audience="firm",
        creator=_FIRM_AUTHOR,
        last_author=_FIRM_AUTHOR,
        mentioned_user_ids=["u-grace"],
        client_read_seq=1,
        firm_read_seq=2,
    )

    audience: Literal["firm"] = "firm"
    creator: Author
    last_author: Author
    mentioned_user_ids: frozenset[str]
    client_read_seq: int = Field(description="how far the account's client users have read")
    firm_read_seq: int = Field(description="how far the firm's team has read")


class ClientThreadView(_ThreadBase):
    model_config = _example(
        **_THREAD,
        audience="client",
        creator={"kind": "firm_user", "name": "Ada Accountant"},
        last_author={"kind": "firm_user", "name": "Ada Accountant"},
    )

    audience: Literal["client"] = "client"
    creator: ClientAuthor
    last_author: ClientAuthor


type ThreadView = Annotated[FirmThreadView | ClientThreadView, Field(discriminator="audience")]


class _MessageBase(_View):
    thread_id: str
    seq: int
    client_id: str
    html: str
    text: str
    created_at: datetime
    status: MessageStatus = Field(description="MS-5: read once the other side has read it")
    mine: bool = Field(description="written by the viewer")
    via: MessageVia = Field(
        description="written in the portal, or sent as a reply to a notification email"
    )


class FirmMessageView(_MessageBase):
    model_config = _example(**_MESSAGE, audience="firm", author=_FIRM_AUTHOR, mentions=[])

    audience: Literal["firm"] = "firm"
    author: Author
    mentions: frozenset[str]


class ClientMessageView(_MessageBase):
    model_config = _example(
        **_MESSAGE, audience="client", author={"kind": "firm_user", "name": "Ada Accountant"}
    )

    audience: Literal["client"] = "client"
    author: ClientAuthor


type MessageView = Annotated[FirmMessageView | ClientMessageView, Field(discriminator="audience")]


def thread_view(
    thread: Thread, viewer: Principal, read_seq: int, account_name: str | None = None
) -> ThreadView:
    common = {
        "thread_id": thread.thread_id,
        "account_id": thread.account_id,
        "account_name": account_name,
        "subject": thread.subject,
        "created_at": thread.created_at,
        "status": thread.status,
        "seq": thread.seq,
        "last_activity_at": thread.last_activity_at,
        "tasks_done": thread.tasks_done,
        "tasks_total": thread.tasks_total,
        "documents": thread.documents,
        "unread": max(thread.seq - read_seq, 0),
    }
    if viewer.is_firm_user:
        return FirmThreadView.model_validate(
            {
                **common,
                "creator": thread.creator,
                "last_author": thread.last_author,
                "mentioned_user_ids": thread.mentioned_user_ids,
                "client_read_seq": thread.client_read_seq,
                "firm_read_seq": thread.firm_read_seq,
            }
        )
    return ClientThreadView.model_validate(
        {
            **common,
            "creator": ClientAuthor.of(thread.creator),
            "last_author": ClientAuthor.of(thread.last_author),
        }
    )


def message_view(message: Message, thread: Thread, viewer: Principal) -> MessageView:
    common = {
        "thread_id": message.thread_id,
        "seq": message.seq,
        "client_id": message.client_id,
        "html": message.html,
        "text": message.text,
        "created_at": message.created_at,
        "status": message.status_in(thread),
        "mine": message.author.user_id == viewer.user_id,
        "via": message.via,
    }
    if viewer.is_firm_user:
        return FirmMessageView.model_validate(
            {**common, "author": message.author, "mentions": message.mentions}
        )
    return ClientMessageView.model_validate({**common, "author": ClientAuthor.of(message.author)})


class _TaskBase(_View):
    task_id: str
    html: str = Field(description="the text, sanitized: words and links only")
    text: str
    done: bool
    created_at: datetime
    done_at: datetime | None = None


_TASK = {
    "task_id": "task-w2-2026",
    "html": "Upload your W-2",
    "text": "Upload your W-2",
    "done": False,
    "created_at": "2026-11-23T10:00:00Z",
}


class FirmTaskView(_TaskBase):
    model_config = _example(**_TASK, audience="firm", created_by=_FIRM_AUTHOR)

    audience: Literal["firm"] = "firm"
    created_by: Author
    done_by: Author | None = None


class ClientTaskView(_TaskBase):
    model_config = _example(
        **_TASK, audience="client", created_by={"kind": "firm_user", "name": "Ada Accountant"}
    )

    audience: Literal["client"] = "client"
    created_by: ClientAuthor
    done_by: ClientAuthor | None = None


type TaskView = Annotated[FirmTaskView | ClientTaskView, Field(discriminator="audience")]


class TasksView(_View):
    """A thread's checklist as the viewer sees it, in order, with the version a reorder
    was made against."""

    model_config = _example(thread_id=_THREAD["thread_id"], version=1, done=0, total=0, tasks=[])

    thread_id: str
    version: int
    done: int
    total: int
    tasks: list[TaskView]


def task_view(task: Task, viewer: Principal) -> TaskView:
    common = {
        "task_id": task.task_id,
        "html": task.html,
        "text": task.text,
        "done": task.done,
        "created_at": task.created_at,
        "done_at": task.done_at,
    }
    if viewer.is_firm_user:
        return FirmTaskView.model_validate(
            {**common, "created_by": task.created_by, "done_by": task.done_by}
        )
    return ClientTaskView.model_validate(
        {
            **common,
            "created_by": ClientAuthor.of(task.created_by),
            "done_by": ClientAuthor.of(task.done_by) if task.done_by else None,
        }
    )


def tasks_view(tasks: TaskList, viewer: Principal, only_open: bool = False) -> TasksView:
    shown = tasks.open_tasks if only_open else list(tasks.tasks)
    return TasksView(
        thread_id=tasks.thread_id,
        version=tasks.version,
        done=tasks.done,
        total=tasks.total,
        tasks=[task_view(task, viewer) for task in shown],
    )


class MentionableUser(_View):
    """A firm user a composer may @mention: the name to show and the id to send, no more."""

    model_config = _example(user_id="u-grace", name="Grace Bookkeeper")

    user_id: str
    name: str


# ---------------------------------------------------------------- pushed frames


class UnreadCounts(_View):
    """The receiver's own unread counts after the event, so a portal never recomputes."""

    thread: int = Field(description="unread messages in this thread")
    account: int = Field(description="unread messages in the thread's client account")


class ThreadChangedFrame(_View):
    type: Literal["thread_created", "thread_archived", "thread_reopened"]
    thread: ThreadView
    unread: UnreadCounts


class ThreadDeletedFrame(_View):
    type: Literal["thread_deleted"] = "thread_deleted"
    thread_id: str


class MessageFrame(_View):
    type: Literal["message"] = "message"
    thread: ThreadView
    message: MessageView
    unread: UnreadCounts


class FirmReadFrame(_View):
    """Someone read the thread: who, how far, and both sides' positions."""

    type: Literal["read"] = "read"
    audience: Literal["firm"] = "firm"
    thread_id: str
    user_id: str
    read_seq: int
    client_read_seq: int
    firm_read_seq: int
    unread: UnreadCounts


class ClientReadFrame(_View):
    """The thread was read: the client learns which of their messages now show read
    (MS-5), never who read or how far anyone got."""

    type: Literal["read"] = "read"
    audience: Literal["client"] = "client"
    thread_id: str
    read_up_to: int = Field(description="the client side's messages up to here show read")
    unread: UnreadCounts


class TypingFrame(_View):
    type: Literal["typing"] = "typing"
    thread_id: str
    author: ClientAuthor


class DocumentFrame(_View):
    type: Literal["document_added", "document_changed"]
    thread_id: str
    document: DocumentView


class TasksFrame(_View):
    """The thread's tasks changed: the list, the thread's counters, and the task-list
    update message the change posted or rewrote (same `seq`: replace it)."""

    type: Literal["tasks"] = "tasks"
    thread: ThreadView
    tasks: TasksView
    message: MessageView | None = None
    unread: UnreadCounts


class DocumentDeletedFrame(_View):
    type: Literal["document_deleted"] = "document_deleted"
    thread_id: str
    document_id: str


type PushedFrame = (
    DocumentFrame
    | TasksFrame
    | DocumentDeletedFrame
    | ThreadChangedFrame
    | ThreadDeletedFrame
    | MessageFrame
    | FirmReadFrame
    | ClientReadFrame
    | TypingFrame
)


def _frame_without_thread(
    event: ThreadDeleted | Typing | DocumentChanged | DocumentDeleted,
) -> PushedFrame:
    """The frames of events that do not show the thread: the same for every receiver."""
    thread_id = event.thread.thread_id
    if isinstance(event, ThreadDeleted):
        return ThreadDeletedFrame(thread_id=thread_id)
    if isinstance(event, Typing):
        return TypingFrame(thread_id=thread_id, author=ClientAuthor.of(event.author))
    if isinstance(event, DocumentChanged):
        return DocumentFrame(type=event.type, thread_id=thread_id, document=event.document)
    return DocumentDeletedFrame(thread_id=thread_id, document_id=event.document_id)


def frame_for(event: Event, viewer: Principal, unread: UnreadCounts | None) -> PushedFrame:
    """The frame `viewer` receives for `event`, with their own unread counts for the events
    that show the thread (`event.shows_thread`)."""
    thread = event.thread
    if not isinstance(event, ThreadChanged | MessagePosted | ReadMoved | TasksChanged):
        return _frame_without_thread(event)
    counts = unread or UnreadCounts(thread=0, account=0)
    seen = thread_view(thread, viewer, read_seq=thread.seq - counts.thread)
    if isinstance(event, TasksChanged):
        return TasksFrame(
            thread=seen,
            tasks=tasks_view(event.tasks, viewer),
            message=message_view(event.message, thread, viewer) if event.message else None,
            unread=counts,
        )
    if isinstance(event, ThreadChanged):
        return ThreadChangedFrame(type=event.type, thread=seen, unread=counts)
    if isinstance(event, MessagePosted):
        return MessageFrame(
            thread=seen, message=message_view(event.message, thread, viewer), unread=counts
        )
    if viewer.is_firm_user:
        return FirmReadFrame(
            thread_id=thread.thread_id,
            user_id=event.user_id,
            read_seq=event.read_seq,
            client_read_seq=thread.client_read_seq,
            firm_read_seq=thread.firm_read_seq,
            unread=counts,
        )
    return ClientReadFrame(
        thread_id=thread.thread_id, read_up_to=thread.firm_read_seq, unread=counts
    )
