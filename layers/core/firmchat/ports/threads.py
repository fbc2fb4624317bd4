"""What the thread, message and read services need from the world, as Protocols.

The DynamoDB adapters in `firmchat.adapters` implement them; tests may pass fakes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from firmchat.domain.events import Event
from firmchat.domain.paging import Page
from firmchat.domain.principal import Principal
from firmchat.domain.tasks import TaskList
from firmchat.domain.threads import AccountChats, Message, TaskFilter, Thread, ThreadStatus
from firmchat.domain.views import UnreadCounts


@dataclass(frozen=True)
class SentBefore:
    """The record of a client message id: which message it made, with what body."""

    seq: int
    digest: str
    write_id: str = ""
    """Who wrote it: the id the writing call chose, so a call can tell its own write (whose
    answer was lost) from a concurrent retry's."""


@dataclass(frozen=True)
class ThreadContext:
    """The thread with what one person's next write needs, read in one request."""

    thread: Thread | None
    read_seq: int
    sent_before: SentBefore | None


class ThreadStore(Protocol):
    def get(self, firm_id: str, thread_id: str) -> Thread | None: ...

    def context(
        self, firm_id: str, thread_id: str, user_id: str, client_id: str | None = None
    ) -> ThreadContext: ...

    def message(self, thread: Thread, seq: int) -> Message: ...

    def create(
        self, thread: Thread, message: Message, digest: str, tasks: TaskList | None = None
    ) -> None:
        """Raises StaleWriteError when the thread exists already; `tasks` (CH-3) are
        written with it."""

    def append(
        self, thread: Thread, message: Message, digest: str, read_seq: int, write_id: str
    ) -> Thread:
        """Adds `message` to `thread` as last read, if neither changed (StaleWriteError) nor
        the client id was used meanwhile (ClientIdTakenError); the client id's record keeps
        `write_id`."""

    def mark_read(self, thread: Thread, user: Principal, read_seq: int, up_to: int) -> Thread:
        """Moves the user's read state from `read_seq` to `up_to`; StaleWriteError if
        either it or the thread changed."""

    def set_status(self, thread: Thread, status: ThreadStatus) -> Thread: ...

    def delete(self, thread: Thread) -> None:
        """Marks the thread deleted at once (a later `get` is None); `purge_step` then
        removes what it held."""

    def claim_typing(
        self, thread: Thread, user_id: str, now: datetime, interval: timedelta
    ) -> bool:
        """True (and held for `interval`) unless the user's last typing signal in the
        thread is more recent than `interval`."""

    def purge_step(self, firm_id: str, thread_id: str) -> bool:
        """Deletes the next chunk of a deleted thread's items; True when none remain."""

    def messages(self, thread: Thread, size: int, cursor: str | None) -> Page[Message]: ...

    def all_messages(self, thread: Thread) -> Iterable[Message]: ...

    def account_threads(
        self,
        firm_id: str,
        account_id: str,
        status: ThreadStatus,
        size: int,
        cursor: str | None,
        *,
        tasks: TaskFilter = "all",
    ) -> Page[Thread]: ...

    def firm_threads(
        self,
        firm_id: str,
        status: ThreadStatus,
        size: int,
        cursor: str | None,
        keep: "RowFilter[Thread] | None",
    ) -> Page[Thread]: ...

    def chat_accounts(
        self, firm_id: str, size: int, cursor: str | None, keep: "RowFilter[AccountChats] | None"
    ) -> Page[AccountChats]: ...

    def read_seqs(self, firm_id: str, user_id: str, thread_ids: Sequence[str]) -> dict[str, int]:
        """The user's read state in each thread (0 where there is none)."""

    def account_reads(
        self, firm_id: str, user_id: str, account_ids: Sequence[str]
    ) -> dict[str, int]: ...

    def unread_counts(self, thread: Thread, user_ids: Sequence[str]) -> dict[str, UnreadCounts]:
        """Each user's unread in the thread and its account, read in batches."""


class ThreadReads(Protocol):
    """What notifications read of threads: the thread, and how far someone has read it."""

    def get(self, firm_id: str, thread_id: str) -> Thread | None: ...

    def read_seqs(self, firm_id: str, user_id: str, thread_ids: Sequence[str]) -> dict[str, int]:
        """The user's read state in each thread (0 where there is none)."""
        ...


class RowFilter[T](Protocol):
    def __call__(self, row: T, /) -> bool: ...


class Directory(Protocol):
    """The people side, owned by the identity service."""

    def account_can_receive_chats(self, firm_id: str, account_id: str) -> bool | None:
        """None when the account does not exist; False when no contact has portal access
        and an activated login (CH-4)."""

    def firm_user_ids(self, firm_id: str, user_ids: Iterable[str]) -> frozenset[str]:
        """Those of `user_ids` that are active firm users of the firm."""

    def account_exists(self, firm_id: str, account_id: str) -> bool: ...

    def account_names(self, firm_id: str, account_ids: Iterable[str]) -> dict[str, str]:
        """The names of those accounts that exist, read in batches."""


class Events(Protocol):
    """Real-time delivery: the event, as each receiver's frame, to every open connection of
    everyone the policy lets see the thread, except `exclude_user_id`'s."""

    def publish(self, event: Event, exclude_user_id: str | None = None) -> None: ...
