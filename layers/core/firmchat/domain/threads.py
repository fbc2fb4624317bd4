"""Threads and messages (spec CH-1, CH-8, MS-4 to MS-6): what is stored and what a request
may say. See docs/data-model.md, "Threads and messages", for how they are kept."""

import hashlib
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from firmchat.domain.policy import ThreadFacts
from firmchat.domain.principal import Principal, PrincipalKind
from firmchat.domain.task_input import NewTasks
from firmchat.domain.text import ClientId, Encodable, KeyPart, Text

Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Encodable
]
MAX_MENTIONS = 50

_THREAD_IDS = uuid.UUID("6f1d7c52-3a59-4c4e-9b7e-0d5b4f3f2a10")


class ThreadStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class MessageVia(StrEnum):
    """Where a message was written: in the portal (HTTP or its socket), or as a reply to a
    notification email that landed in the thread (MS-7)."""

    PORTAL = "portal"
    EMAIL = "email"


class MessageStatus(StrEnum):
    SENT = "sent"
    READ = "read"


class Author(BaseModel):
    """Who wrote something, as shown (MS-4): the firm user's name, or the contact's name
    (the email address when the login is linked to no contact)."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    kind: PrincipalKind
    name: str

    @classmethod
    def of(cls, principal: Principal) -> "Author":
        return cls(user_id=principal.user_id, kind=principal.kind, name=principal.display_name)


class DeletedThread(BaseModel):
    """What remains of a deleted thread until the stream has purged its partition."""

    model_config = ConfigDict(frozen=True)

    firm_id: str
    thread_id: str
    account_id: str
    purge_round: int = 0


class Thread(BaseModel):
    model_config = ConfigDict(frozen=True)

    firm_id: str
    thread_id: str
    account_id: str
    subject: str
    creator: Author
    created_at: datetime
    status: ThreadStatus = ThreadStatus.ACTIVE
    seq: int = Field(description="how many messages the thread holds; numbers them")
    last_activity_at: datetime
    last_author: Author
    mentioned_user_ids: frozenset[str] = frozenset()
    client_read_seq: int = 0
    firm_read_seq: int = 0
    tasks_done: int = 0
    tasks_total: int = 0
    documents: int = 0

    def facts(self) -> ThreadFacts:
        return ThreadFacts(
            firm_id=self.firm_id,
            account_id=self.account_id,
            mentioned_user_ids=self.mentioned_user_ids,
        )


class ReadState(BaseModel):
    """How far one person has read one thread (MS-5)."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    user_id: str
    seq: int


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    thread_id: str
    seq: int
    client_id: str
    author: Author
    html: str
    text: str
    mentions: frozenset[str] = frozenset()
    created_at: datetime
    task_update: bool = Field(default=False, description="a task-list update (TK-3, TK-6)")
    all_tasks_done: bool = Field(default=False, description="its change completed every task")
    via: MessageVia = MessageVia.PORTAL

    def status_in(self, thread: Thread) -> MessageStatus:
        """MS-5: read once anyone on the other side (the account's client users for the
        firm's messages, the firm's team for a client's) has read it."""
        other_side = (
            thread.client_read_seq
            if self.author.kind is PrincipalKind.FIRM_USER
            else thread.firm_read_seq
        )
        return MessageStatus.READ if self.seq <= other_side else MessageStatus.SENT


class AccountChats(BaseModel):
    """One row of the client-account filter (CH-10)."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "account_id": "acct-babbage",
                    "account_name": "Babbage Engines Ltd",
                    "active": 2,
                    "archived": 1,
                    "messages": 14,
                    "last_activity_at": "2026-11-23T10:05:00Z",
                    "unread": 3,
                }
            ]
        },
    )

    account_id: str
    account_name: str = Field(default="", description="the client account's name")
    active: int = 0
    archived: int = 0
    messages: int = 0
    last_activity_at: datetime
    unread: int = 0


AccountFilter = Literal["all", "active", "unread", "archived"]
TaskFilter = Literal["all", "not_completed", "completed", "with_tasks"]
"""CH-8's task filter of an account's thread list: all threads (the default), those with
open tasks, those whose tasks are all done, those with any task."""


class NewMessage(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"client_id": "msg-7f3a9c01", "body": "<p>Receipts attached</p>", "mentions": []}
            ]
        },
    )

    client_id: ClientId
    body: Text = Field(description="rich text (HTML): see the sanitizer's allowlist")
    mentions: list[KeyPart] = Field(default_factory=list, max_length=MAX_MENTIONS)

    def digest(self) -> str:
        """What a retry with the same client id must repeat exactly."""
        canonical = "\x1f".join([self.body, *sorted(set(self.mentions))])
        return hashlib.sha256(canonical.encode()).hexdigest()


class NewThread(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "account_id": "acct-babbage",
                    "subject": "Year-end receipts",
                    "message": {"client_id": "msg-1c2d3e4f", "body": "<p>Please send them</p>"},
                }
            ]
        },
    )

    account_id: KeyPart
    subject: Subject
    message: NewMessage
    tasks: NewTasks = Field(default_factory=list, description="client tasks (CH-3, TK-1)")

    def thread_id(self, firm_id: str, creator: Principal) -> str:
        """Derived, so a retried create finds the thread it made instead of a second one."""
        name = f"{firm_id}/{creator.user_id}/{self.message.client_id}"
        return str(uuid.uuid5(_THREAD_IDS, name))
