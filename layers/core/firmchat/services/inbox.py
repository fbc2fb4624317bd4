"""The firm inbox (spec NT-3 to NT-5) and the client's "waiting for action" dashboard (NT-2),
fed from the stream: each new message updates one entry per (person, thread) of everyone it
concerns, moves it to the top, and pushes it to that person's open sockets.

Who it concerns:
- a firm message: every client user of the account who may see the thread (the dashboard);
- the thread's creator (a firm user), when someone else writes in it (NT-4);
- the firm users @mentioned in the message (NT-5);
- a client's message, when the firm setting `inbox_for_account_members` is on: the members
  assigned to the account.
Everyone passes the access policy first, as they are now; the author is never notified.

A firm user chooses per kind of activity where they hear of it (NT-4): the inbox, email,
both or neither. Their emails are debounced per thread: one about unread activity, then
none until they have read the thread, and none about what they have read already.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from firmchat.domain.inbox import Activity, InboxEntry, NotificationPreferences
from firmchat.domain.paging import Page
from firmchat.domain.people import Contact, Firm
from firmchat.domain.policy import Operation, ThreadFacts, allowed, audience
from firmchat.domain.principal import Principal, PrincipalKind
from firmchat.domain.threads import Author, Message, Thread, ThreadStatus
from firmchat.emails import render
from firmchat.errors import ForbiddenError
from firmchat.ports.connections import Connections, Pusher
from firmchat.ports.notifications import Mailer
from firmchat.ports.people import AssignedUser
from firmchat.ports.threads import ThreadReads
from firmchat.services.audience import PrincipalSource, ThreadPeople
from firmchat.services.reply_addresses import ReplyAddresses

_WHAT = {
    Activity.NEW_THREAD: "started",
    Activity.MESSAGE: "wrote in",
    Activity.MENTION: "mentioned you in",
    Activity.ALL_TASKS_DONE: "completed every task in",
}
FIRM_USERS_ONLY = "the inbox is the firm's team's; clients see their dashboard"
CLIENT_USERS_ONLY = "the dashboard is the clients'; the firm's team has its inbox"


class InboxStore(Protocol):
    def record(self, entry: InboxEntry) -> InboxEntry | None: ...

    def clear(
        self, firm_id: str, person_id: str, thread_id: str, up_to_seq: int | None = None
    ) -> InboxEntry | None: ...

    def entries(
        self, firm_id: str, person_id: str, size: int, cursor: str | None, *, unread_only: bool
    ) -> Page[InboxEntry]: ...

    def preferences(self, firm_id: str, person_id: str) -> NotificationPreferences: ...

    def save_preferences(
        self, firm_id: str, person_id: str, preferences: NotificationPreferences
    ) -> None: ...

    def mark_emailed(
        self, firm_id: str, person_id: str, thread_id: str, seq: int, read_seq: int
    ) -> bool: ...

    def unmark_emailed(self, firm_id: str, person_id: str, thread_id: str, seq: int) -> None: ...


class InboxPeople(Protocol):
    def firm(self, firm_id: str) -> Firm | None: ...

    def firm_user(self, firm_id: str, user_id: str) -> AssignedUser | None: ...

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...

    def account_assignee_ids(self, firm_id: str, account_id: str) -> list[str]: ...


class Inbox:
    def __init__(
        self,
        *,
        store: InboxStore,
        threads: ThreadReads,
        people: InboxPeople,
        principals: PrincipalSource,
        connections: Connections,
        sender: Pusher,
        mailer: Mailer,
        reply_addresses: ReplyAddresses,
        portal_origin: str,
    ) -> None:
        self._mailer = mailer
        self._reply_addresses = reply_addresses
        self._portal = portal_origin.rstrip("/")
        self._store = store
        self._threads = threads
        self._people = people
        self._principals = principals
        self._connections = connections
        self._sender = sender

    # ------------------------------------------------------------ from the stream

    def message_posted(self, people: ThreadPeople, message: Message) -> list[InboxEntry]:
        """The entries this message moved (none again when its record is redelivered);
        `people`: the one read of the message's thread (services.audience)."""
        if people.thread.status is ThreadStatus.ARCHIVED:
            return []
        return self.notify(
            people.thread,
            message.author,
            message.created_at,
            message.seq,
            self._concerned(people, message),
        )

    def notify(
        self,
        thread: Thread,
        actor: Author,
        at: datetime,
        seq: int,
        concerned: Sequence[tuple[Principal, Activity]],
    ) -> list[InboxEntry]:
        """The one entry point of every activity (messages now; tasks and uploads later):
        `seq` orders the thread's activities, so a redelivered one moves and sends nothing.
        Firm users hear of it as they chose; client users on their dashboard."""
        moved = []
        for person, activity in concerned:
            channel = (
                self._store.preferences(person.firm_id, person.user_id).channel(activity)
                if person.is_firm_user
                else None
            )
            if channel is not None and channel.by_email:
                self._email_once(person, thread, actor, activity, seq)
            if channel is not None and not channel.to_inbox:
                continue
            entry = self._store.record(
                InboxEntry(
                    firm_id=thread.firm_id,
                    person_id=person.user_id,
                    thread_id=thread.thread_id,
                    account_id=thread.account_id,
                    subject=thread.subject,
                    activity=activity,
                    actor=actor,
                    at=at,
                    unread=1,
                    last_seq=seq,
                )
            )
            if entry is not None:
                moved.append(entry)
                self._push(person, entry)
        return moved

    def _email_once(
        self, person: Principal, thread: Thread, actor: Author, activity: Activity, seq: int
    ) -> None:
        firm_id, thread_id = thread.firm_id, thread.thread_id
        read_seq = self._threads.read_seqs(firm_id, person.user_id, [thread_id])[thread_id]
        found = self._people.firm_user(firm_id, person.user_id)
        firm = self._people.firm(firm_id)
        if read_seq >= seq or found is None or firm is None:
            return
        if not self._store.mark_emailed(firm_id, person.user_id, thread_id, seq, read_seq):
            return
        email = render(
            "firm_activity",
            f"{actor.name} {_WHAT[activity]} \u201c{thread.subject}\u201d",
            firm_name=firm.name,
            person_name=person.display_name,
            actor_name=actor.name,
            what=_WHAT[activity],
            thread_subject=thread.subject,
            thread_link=f"{self._portal}/threads/{thread_id}",
        )
        try:
            self._mailer.send(
                found[0].email,
                email.subject,
                email.text,
                html=email.html,
                reply_to=self._reply_addresses.reply_to(thread, user_id=person.user_id),
            )
        except Exception:
            self._store.unmark_emailed(firm_id, person.user_id, thread_id, seq)
            raise

    def thread_read(self, firm_id: str, person_id: str, thread_id: str, seq: int) -> None:
        """The person read the thread up to `seq` (in the portal): their entry is read too."""
        self._store.clear(firm_id, person_id, thread_id, up_to_seq=seq)

    def _concerned(
        self, people: ThreadPeople, message: Message
    ) -> list[tuple[Principal, Activity]]:
        thread, author = people.thread, message.author
        wanted: dict[str, Activity] = {}
        if author.kind is PrincipalKind.FIRM_USER:
            first = Activity.NEW_THREAD if message.seq == 1 else Activity.MESSAGE
            wanted.update(
                (contact.subject, first)
                for contact in people.contacts
                if contact.signs_in and contact.subject
            )
        firm_activity = Activity.NEW_THREAD if message.seq == 1 else Activity.MESSAGE
        firm_user_ids: dict[str, Activity] = {}
        members_follow = people.firm.settings.inbox_for_account_members
        if author.kind is PrincipalKind.CLIENT_USER and members_follow:
            firm_user_ids.update(
                (user_id, firm_activity)
                for user_id in self._people.account_assignee_ids(thread.firm_id, thread.account_id)
            )
        if thread.creator.kind is PrincipalKind.FIRM_USER:
            firm_user_ids[thread.creator.user_id] = Activity.MESSAGE
        if message.all_tasks_done and author.kind is PrincipalKind.CLIENT_USER:
            # TK-4: the creator and the account's members, whatever the firm's setting.
            firm_user_ids.update(
                (user_id, Activity.ALL_TASKS_DONE)
                for user_id in [
                    *self._people.account_assignee_ids(thread.firm_id, thread.account_id),
                    *(
                        [thread.creator.user_id]
                        if thread.creator.kind is PrincipalKind.FIRM_USER
                        else []
                    ),
                ]
            )
        firm_user_ids.update((user_id, Activity.MENTION) for user_id in message.mentions)
        firm_user_ids.pop(author.user_id, None)
        wanted.update(self._subjects_of(thread.firm_id, firm_user_ids))
        principals = self._principals.principals_for(thread.firm_id, list(wanted))
        return [
            (person, wanted[person.subject])
            for person in audience(thread.facts(), principals)
            if person.user_id != author.user_id
        ]

    def _subjects_of(
        self, firm_id: str, user_ids: dict[str, Activity]
    ) -> Iterable[tuple[str, Activity]]:
        for user_id, activity in user_ids.items():
            found = self._people.firm_user(firm_id, user_id)
            if found is not None and found[0].subject:
                yield found[0].subject, activity

    def _push(self, person: Principal, entry: InboxEntry) -> None:
        frame = {"type": "inbox_entry", "entry": entry.model_dump(mode="json")}
        for connection_id in self._connections.of_subject(person.firm_id, person.subject):
            if not self._sender.push(connection_id, frame):
                self._connections.forget(person.firm_id, person.subject, connection_id)

    # ------------------------------------------------------------ requests

    def entries(self, principal: Principal, size: int, cursor: str | None) -> Page[InboxEntry]:
        """NT-3: the firm user's entries, newest activity first."""
        if not principal.is_firm_user:
            raise ForbiddenError(FIRM_USERS_ONLY)
        return _still_visible(
            principal,
            self._store.entries(
                principal.firm_id, principal.user_id, size, cursor, unread_only=False
            ),
        )

    def waiting(self, principal: Principal, size: int, cursor: str | None) -> Page[InboxEntry]:
        """NT-2: the client user's threads with unread messages, newest first."""
        if not principal.is_client_user:
            raise ForbiddenError(CLIENT_USERS_ONLY)
        return _still_visible(
            principal,
            self._store.entries(
                principal.firm_id, principal.user_id, size, cursor, unread_only=True
            ),
        )

    def preferences(self, principal: Principal) -> NotificationPreferences:
        """NT-4: where the firm user hears of each kind of activity."""
        if not principal.is_firm_user:
            raise ForbiddenError(FIRM_USERS_ONLY)
        return self._store.preferences(principal.firm_id, principal.user_id)

    def set_preferences(
        self, principal: Principal, preferences: NotificationPreferences
    ) -> NotificationPreferences:
        if not principal.is_firm_user:
            raise ForbiddenError(FIRM_USERS_ONLY)
        self._store.save_preferences(principal.firm_id, principal.user_id, preferences)
        return preferences

    def mark_read(self, principal: Principal, thread_id: str) -> None:
        """The entry is read; one that does not exist (or another's) changes nothing."""
        entry = self._store.clear(principal.firm_id, principal.user_id, thread_id)
        if entry is not None:
            self._push(principal, entry)


def _still_visible(principal: Principal, page: Page[InboxEntry]) -> Page[InboxEntry]:
    """Entries of threads the person may no longer see are left out (access ended since);
    a mention opens its thread (CH-7), so a mention entry is judged as one."""

    def facts(entry: InboxEntry) -> ThreadFacts:
        mentioned = {principal.user_id} if entry.activity is Activity.MENTION else set()
        return ThreadFacts(
            firm_id=entry.firm_id,
            account_id=entry.account_id,
            mentioned_user_ids=frozenset(mentioned),
        )

    return Page(
        items=[
            entry for entry in page.items if allowed(principal, Operation.SEE_THREAD, facts(entry))
        ],
        cursor=page.cursor,
    )
