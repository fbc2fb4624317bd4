"""Notification entries (spec NT-2 to NT-5): one per (person, thread), moved to the top on
each new activity, naming who acted and what, with an unread count. A firm user's entries
are their inbox; a client user's unread ones are their "waiting for action" dashboard.
Features add their own activities (tasks, uploads) to `Activity`."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from firmchat.domain.threads import Author


class Activity(StrEnum):
    NEW_THREAD = "new_thread"
    MESSAGE = "message"  # a message in a thread the person follows (a reply to the creator)
    MENTION = "mention"
    ALL_TASKS_DONE = "all_tasks_done"  # the client completed every task of the thread (TK-4)


class Channel(StrEnum):
    """Where a firm user hears of one kind of activity (NT-4)."""

    INBOX = "inbox"
    EMAIL = "email"
    BOTH = "both"
    NONE = "none"

    @property
    def to_inbox(self) -> bool:
        return self in (Channel.INBOX, Channel.BOTH)

    @property
    def by_email(self) -> bool:
        return self in (Channel.EMAIL, Channel.BOTH)


class NotificationPreferences(BaseModel):
    """A firm user's channel per kind of activity; one field per `Activity`. Emails are
    debounced per thread: one until the user has read it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    new_thread: Channel = Channel.INBOX
    message: Channel = Channel.INBOX
    mention: Channel = Channel.INBOX
    all_tasks_done: Channel = Channel.BOTH

    def channel(self, activity: Activity) -> Channel:
        return Channel(self.model_dump()[activity.value])


class InboxEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    firm_id: str
    person_id: str
    thread_id: str
    account_id: str
    subject: str
    activity: Activity
    actor: Author
    at: datetime
    unread: int
    last_seq: int
