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
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from firmchat.domain.paging import Page
from firmchat.domain.people import Contact, FirmUser
from firmchat.domain.policy import ThreadFacts, audience
from firmchat.domain.principal import Principal
from firmchat.ports.connections import Connections

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
