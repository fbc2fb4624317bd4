"""Threads (spec CH-1 to CH-4, CH-7 to CH-13): create, read, list, archive, reopen, delete,
print. Every read, list row and push audience is the access policy's decision."""

from html import escape
from typing import Literal

from firmchat.domain import policy
from firmchat.domain.events import ThreadChanged, ThreadDeleted
from firmchat.domain.paging import Page
from firmchat.domain.policy import AccountFacts, Operation
from firmchat.domain.principal import Principal
from firmchat.domain.richtext import clean_html, parse_message
from firmchat.domain.threads import (
    AccountChats,
    AccountFilter,
    Author,
    Message,
    NewThread,
    TaskFilter,
    Thread,
    ThreadStatus,
)
from firmchat.domain.views import ThreadView, thread_view
from firmchat.errors import ConflictError, InvalidInputError, StaleWriteError
from firmchat.ports.clock import Clock
from firmchat.ports.threads import (
    Directory,
    Events,
    SentBefore,
    ThreadStore,
)
from firmchat.services.tasks import first_tasks


def visible_thread(
    store: ThreadStore, principal: Principal, thread_id: str, operation: Operation
) -> Thread:
    """The thread, if the principal may do `operation` to it; missing and not-yours alike
    are a 404."""
    thread = store.get(principal.firm_id, thread_id)
    if thread is None:
        raise policy.thread_not_found()
    policy.require(principal, operation, thread.facts())
    return thread


def checked_mentions(
    directory: Directory, principal: Principal, user_ids: list[str], field: str = "mentions"
) -> frozenset[str]:
    """MS-2: firm users of the firm, @mentioned by a firm user; they may then see the thread."""
    wanted = frozenset(user_ids)
    if not wanted:
        return wanted
    if not principal.is_firm_user:
        raise InvalidInputError("only the firm's team can @mention people", field=field)
    unknown = wanted - directory.firm_user_ids(principal.firm_id, wanted)
    if unknown:
        raise InvalidInputError(
            f"no such firm user to mention: {', '.join(sorted(unknown))}", field=field
        )
    return wanted


class ThreadService:
    """What the thread and the message services are built from (firmchat.root builds both
    over the same store, directory and events)."""

    def __init__(
        self, store: ThreadStore, directory: Directory, events: Events, clock: Clock
    ) -> None:
        self._store = store
        self._directory = directory
        self._events = events
        self._clock = clock

    def _view(
        self, principal: Principal, thread: Thread, read_seq: int | None = None
    ) -> ThreadView:
        """The thread as `principal` sees it, with the account's name (and their read state,
        read when not given)."""
        if read_seq is None:
            read_seq = self._store.read_seqs(
                principal.firm_id, principal.user_id, [thread.thread_id]
            )[thread.thread_id]
        names = self._directory.account_names(principal.firm_id, [thread.account_id])
        return thread_view(thread, principal, read_seq, names.get(thread.account_id))


class Threads(ThreadService):
    def create(self, principal: Principal, new: NewThread) -> tuple[ThreadView, bool]:
        """The thread and whether it was made now (False: a retry found it)."""
        account = AccountFacts(firm_id=principal.firm_id, account_id=new.account_id)
        policy.require(principal, Operation.CREATE_THREAD, account)
        thread_id = new.thread_id(principal.firm_id, principal)
        context = self._store.context(
            principal.firm_id, thread_id, principal.user_id, new.message.client_id
        )
        if context.thread is not None:
            return self._created_before(principal, context.thread, new, context.sent_before), False
        can_receive = self._directory.account_can_receive_chats(principal.firm_id, new.account_id)
        if can_receive is None:
            raise policy.account_not_found()
        if not can_receive:
            raise ConflictError(
                "this client account cannot receive chats: none of its contacts has portal "
                "access with an activated login; invite a contact first"
            )
        body = parse_message(new.message.body, field="message.body")
        now, author = self._clock.now(), Author.of(principal)
        mentions = checked_mentions(
            self._directory, principal, new.message.mentions, "message.mentions"
        )
        thread = Thread(
            firm_id=principal.firm_id,
            thread_id=thread_id,
            account_id=new.account_id,
            subject=new.subject,
            creator=author,
            created_at=now,
            seq=1,
            last_activity_at=now,
            last_author=author,
            mentioned_user_ids=mentions,
            **{"firm_read_seq" if principal.is_firm_user else "client_read_seq": 1},
        )
        tasks = first_tasks(principal, thread, new.tasks) if new.tasks else None
        if tasks is not None:
            policy.require(principal, Operation.MANAGE_TASKS, thread.facts())
            thread = thread.model_copy(
                update={"tasks_total": tasks.total, "tasks_done": tasks.done}
            )
        message = Message(
            thread_id=thread_id,
            seq=1,
            client_id=new.message.client_id,
            author=author,
            html=body.html,
            text=body.text,
            mentions=mentions,
            created_at=now,
        )
        try:
            self._store.create(thread, message, new.message.digest(), tasks)
        except StaleWriteError:
            if self._store.get(principal.firm_id, thread_id) is None:
                raise ConflictError(
                    "the thread this message id made was deleted; use a new id for a new thread"
                ) from None
            return self.create(principal, new)  # made meanwhile by a retry: answer as one
        self._events.publish(ThreadChanged(type="thread_created", thread=thread))
        return self._view(principal, thread, read_seq=1), True

    def _created_before(
        self, principal: Principal, thread: Thread, new: NewThread, sent_before: SentBefore | None
    ) -> ThreadView:
        if (
            sent_before is None
            or sent_before.digest != new.message.digest()
            or (thread.account_id, thread.subject) != (new.account_id, new.subject)
        ):
            raise ConflictError(
                "a thread was already created with this message id and other content; "
                "use a new id for a new thread"
            )
        return self._view(principal, thread, read_seq=1)

    def get(self, principal: Principal, thread_id: str) -> ThreadView:
        return self._view(
            principal, visible_thread(self._store, principal, thread_id, Operation.SEE_THREAD)
        )

    def of_account(
        self,
        principal: Principal,
        account_id: str,
        status: ThreadStatus,
        size: int,
        cursor: str | None,
        *,
        tasks: TaskFilter = "all",
    ) -> Page[ThreadView]:
        policy.require(
            principal,
            Operation.SEE_ACCOUNT,
            AccountFacts(firm_id=principal.firm_id, account_id=account_id),
        )
        if not self._directory.account_exists(principal.firm_id, account_id):
            raise policy.account_not_found()
        page = self._store.account_threads(
            principal.firm_id, account_id, status, size, cursor, tasks=tasks
        )
        return self._viewed(principal, page)

    def of_firm(
        self, principal: Principal, status: ThreadStatus, size: int, cursor: str | None
    ) -> Page[ThreadView]:
        """CH-9: every thread the principal may see, newest reply first."""
        sees_all = policy.account_scope(principal).all_accounts

        def visible(thread: Thread) -> bool:
            return policy.allowed(principal, Operation.SEE_THREAD, thread.facts())

        page = self._store.firm_threads(
            principal.firm_id, status, size, cursor, None if sees_all else visible
        )
        return self._viewed(principal, page)

    def _viewed(self, principal: Principal, page: Page[Thread]) -> Page[ThreadView]:
        allowed = [
            thread
            for thread in page.items
            if policy.allowed(principal, Operation.SEE_THREAD, thread.facts())
        ]
        reads = self._store.read_seqs(
            principal.firm_id, principal.user_id, [thread.thread_id for thread in allowed]
        )
        names = self._directory.account_names(
            principal.firm_id, [thread.account_id for thread in allowed]
        )
        return Page(
            items=[
                thread_view(
                    thread, principal, reads[thread.thread_id], names.get(thread.account_id)
                )
                for thread in allowed
            ],
            cursor=page.cursor,
        )

    def accounts(
        self, principal: Principal, which: AccountFilter, size: int, cursor: str | None
    ) -> Page[AccountChats]:
        """CH-10: the accounts with chats the principal may see, with their unread counts."""

        def keep(row: AccountChats) -> bool:
            return policy.has_account_access(principal, row.account_id) and (
                (which == "active" and row.active > 0)
                or (which == "archived" and row.archived > 0)
                or which in ("all", "unread")
            )

        page = self._store.chat_accounts(principal.firm_id, size, cursor, keep)
        reads = self._store.account_reads(
            principal.firm_id, principal.user_id, [row.account_id for row in page.items]
        )
        names = self._directory.account_names(
            principal.firm_id, [row.account_id for row in page.items]
        )
        rows = [
            row.model_copy(
                update={
                    "unread": max(row.messages - reads[row.account_id], 0),
                    "account_name": names.get(row.account_id, ""),
                }
            )
            for row in page.items
        ]
        if which == "unread":
            rows = [row for row in rows if row.unread > 0]
        return Page(items=rows, cursor=page.cursor)

    def archive(self, principal: Principal, thread_id: str) -> ThreadView:
        thread = self._set_status(principal, thread_id, ThreadStatus.ARCHIVED, "thread_archived")
        return self._view(principal, thread)

    def reopen(self, principal: Principal, thread_id: str) -> ThreadView:
        thread = self._set_status(principal, thread_id, ThreadStatus.ACTIVE, "thread_reopened")
        return self._view(principal, thread)

    def _set_status(
        self,
        principal: Principal,
        thread_id: str,
        status: ThreadStatus,
        event: Literal["thread_archived", "thread_reopened"],
    ) -> Thread:
        thread = visible_thread(self._store, principal, thread_id, Operation.MANAGE_THREAD)
        if thread.status is status:
            return thread
        try:
            updated = self._store.set_status(thread, status)
        except StaleWriteError:
            return self._set_status(principal, thread_id, status, event)
        self._events.publish(ThreadChanged(type=event, thread=updated))
        return updated

    def delete(self, principal: Principal, thread_id: str) -> None:
        """CH-12: for good. Gone at once for every reader; the stream purges its items
        (`purge`). The push goes to those who could see it, decided before."""
        thread = visible_thread(self._store, principal, thread_id, Operation.MANAGE_THREAD)
        try:
            self._store.delete(thread)
        except StaleWriteError:
            self.delete(principal, thread_id)
            return
        self._events.publish(ThreadDeleted(thread=thread))

    def purge(self, firm_id: str, thread_id: str) -> bool:
        """One step of a deleted thread's purge (run from the stream); True when done."""
        return self._store.purge_step(firm_id, thread_id)

    def printable(self, principal: Principal, thread_id: str) -> str:
        """CH-13: the whole thread as one HTML page; message bodies cleaned once more."""
        thread = visible_thread(self._store, principal, thread_id, Operation.SEE_THREAD)
        return render_printable(thread, list(self._store.all_messages(thread)))


def render_printable(thread: Thread, messages: list[Message]) -> str:
    rows = "\n".join(
        f"<article><header><strong>{escape(message.author.name)}</strong> "
        f"<time>{message.created_at:%Y-%m-%d %H:%M} UTC</time></header>"
        f"{clean_html(message.html)}</article>"
        for message in messages
    )
    subject = escape(thread.subject)
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; frame-src https:; img-src 'self'\">"
        f"<title>{subject}</title>"
        "<style>article{margin:1em 0;page-break-inside:avoid}</style></head><body>"
        f"<h1>{subject}</h1><p>Created {thread.created_at:%Y-%m-%d} by "
        f"{escape(thread.creator.name)} · {thread.status.value}</p>\n{rows}\n</body></html>"
    )
