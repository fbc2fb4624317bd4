"""Who may receive a thread's events: one service, two questions, one answer rule.

- `connected`: the people with an open connection now, each with their connections (the
  pushes of MS-3). One Query for the firm's open connections, then the connected people in
  batches (docs/decisions/0005-push-audience-loaded-in-batches.md).
- `everyone`: every person who may see the thread, connected or not (emails, the inbox and
  reminders): the account's contacts and the firm's users, read page by page, then loaded
  as principals in the same batches.

Both end in the policy's `audience`, from the people's records as they are now, so a push,
an email and a read check can never disagree. Notification preferences (a contact's notify
switch) are the caller's to apply after this, never instead of it.

`thread_people` is the one read of a thread's notifications: the thread, its firm and the
account's contacts, read once per message and handed to both the inbox and the client
emails (`ThreadPeople.notified_contacts` applies the same policy rule to the contacts read).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from firmchat.domain.paging import Page
from firmchat.domain.people import Contact, Firm, FirmUser
from firmchat.domain.policy import ThreadFacts, audience
from firmchat.domain.principal import FirmSettings, Principal, PrincipalKind
from firmchat.domain.threads import Thread
from firmchat.ports.connections import Connections
from firmchat.ports.threads import ThreadReads

FIRM_USERS_PAGE = 100


class PrincipalSource(Protocol):
    def principals_for(self, firm_id: str, subjects: Sequence[str]) -> list[Principal]:
        """The principals of those subjects with active access now (a removed person is
        none)."""


class Candidates(Protocol):
    """The people who could see a thread, before the policy decides."""

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...

    def firm_users(self, firm_id: str, size: int, cursor: str | None) -> Page[FirmUser]: ...


@dataclass(frozen=True)
class Connected:
    """One person of the audience with their open connections."""

    principal: Principal
    connection_ids: tuple[str, ...]


class Audience:
    def __init__(
        self, connections: Connections, principals: PrincipalSource, people: Candidates
    ) -> None:
        self._connections = connections
        self._principals = principals
        self._people = people

    def connected(self, thread: ThreadFacts) -> list[Connected]:
        """Those who may see the thread and have a connection open now."""
        by_subject: dict[str, list[str]] = defaultdict(list)
        for subject, connection_id in self._connections.of_firm(thread.firm_id):
            by_subject[subject].append(connection_id)
        people = self._principals.principals_for(thread.firm_id, list(by_subject))
        return [
            Connected(person, tuple(by_subject[person.subject]))
            for person in audience(thread, people)
        ]

    def everyone(self, thread: ThreadFacts) -> list[Principal]:
        """Every person who may see the thread, connected or not."""
        subjects = [
            contact.subject
            for contact in self._people.contacts(thread.firm_id, thread.account_id)
            if contact.signs_in and contact.subject
        ]
        cursor: str | None = None
        while True:
            page = self._people.firm_users(thread.firm_id, FIRM_USERS_PAGE, cursor)
            subjects += [user.subject for user in page.items if user.signs_in and user.subject]
            if page.cursor is None:
                break
            cursor = page.cursor
        people = self._principals.principals_for(thread.firm_id, subjects) if subjects else []
        return audience(thread, people)

    def forget(self, thread: ThreadFacts, person: Principal, connection_id: str) -> None:
        """A connection found closed while pushing."""
        self._connections.forget(thread.firm_id, person.subject, connection_id)


class ThreadPeopleReads(Protocol):
    def firm(self, firm_id: str) -> Firm | None: ...

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...


def _as_principal(contact: Contact, settings: FirmSettings) -> Principal:
    return Principal(
        firm_id=contact.firm_id,
        user_id=contact.contact_id,
        subject=contact.subject or "",
        kind=PrincipalKind.CLIENT_USER,
        display_name=contact.name,
        account_id=contact.account_id,
        settings=settings,
    )


@dataclass(frozen=True)
class ThreadPeople:
    """What one new activity's notifications read of its thread, once."""

    thread: Thread
    firm: Firm
    contacts: tuple[Contact, ...]

    def notified_contacts(self) -> list[Contact]:
        """The contacts a thread's email goes to: the ones the policy lets see it, that sign
        in and have notify on.

        The same policy rule as `Audience.everyone`, applied to the contact records already
        read (their addresses and notify switch are what an email needs; `everyone` would
        load the firm's users and the principals again).
        """
        by_id = {contact.contact_id: contact for contact in self.contacts if contact.signs_in}
        candidates = [_as_principal(contact, self.firm.settings) for contact in by_id.values()]
        return [
            by_id[person.user_id]
            for person in audience(self.thread.facts(), candidates)
            if by_id[person.user_id].notify
        ]


def thread_people(
    threads: ThreadReads, people: ThreadPeopleReads, firm_id: str, thread_id: str
) -> ThreadPeople | str:
    """The thread, its firm and its account's contacts; or why there is nothing to notify."""
    thread = threads.get(firm_id, thread_id)
    if thread is None:
        return "the thread is gone"
    firm = people.firm(firm_id)
    if firm is None:
        return "the firm is gone"
    return ThreadPeople(thread, firm, tuple(people.contacts(firm_id, thread.account_id)))
