"""Typed fakes of the core's ports (firmchat.ports: the clock, the connections and their
pusher, events, the mailer, the people directory, link tokens, email bursts and their
follow-ups), for tests and benchmarks that want the service without the adapter. Each
records what it was asked, in the shape a test reads back. The stores' ports have no fake:
their tests run on the real store against moto."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from firmchat.domain.events import Event
from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.ports.notifications import EmailGroup

START = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class FakeClock:
    """Stands still at `at` unless moved; with `tick`, each reading moves it on by that."""

    at: datetime = START
    tick: timedelta = timedelta(0)

    def now(self) -> datetime:
        current = self.at
        self.at += self.tick
        return current

    def advance(self, by: timedelta) -> None:
        self.at += by


@dataclass
class FakeConnections:
    """The open connections of one firm, by subject."""

    open: dict[str, list[str]] = field(default_factory=dict)

    def of_firm(self, firm_id: str) -> list[tuple[str, str]]:
        return [(subject, cid) for subject, ids in self.open.items() for cid in ids]

    def of_subject(self, firm_id: str, subject: str) -> list[str]:
        return list(self.open.get(subject, []))

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None:
        self.open[subject].remove(connection_id)


@dataclass
class FakePusher:
    """Frames pushed, by connection id; sockets closed, in order. A push to a connection
    in `gone` answers False, as the management API's 410 does."""

    frames: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    closed: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)

    def push(self, connection_id: str, payload: dict[str, Any]) -> bool:
        if connection_id in self.gone:
            return False
        self.frames.setdefault(connection_id, []).append(payload)
        return True

    def close(self, connection_id: str) -> None:
        self.closed.append(connection_id)


@dataclass
class FakeEvents:
    """Every event published, in order."""

    published: list[Event] = field(default_factory=list)

    def publish(self, event: Event, exclude_user_id: str | None = None) -> None:
        self.published.append(event)


@dataclass
class FakeMailer:
    """Every email sent, as (to, subject, text)."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        *,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
        reply_to: str | None = None,
    ) -> None:
        self.sent.append((to, subject, text))


@dataclass
class FakeDirectory:
    """One firm's accounts (whether each can receive chats) and active firm users."""

    firm_id: str
    accounts: dict[str, bool] = field(default_factory=dict)
    firm_users: frozenset[str] = frozenset()

    def account_can_receive_chats(self, firm_id: str, account_id: str) -> bool | None:
        return self.accounts.get(account_id) if firm_id == self.firm_id else None

    def account_exists(self, firm_id: str, account_id: str) -> bool:
        return firm_id == self.firm_id and account_id in self.accounts

    def account_names(self, firm_id: str, account_ids: Iterable[str]) -> dict[str, str]:
        if firm_id != self.firm_id:
            return {}
        return {
            account: f"Name of {account}" for account in account_ids if account in self.accounts
        }

    def firm_user_ids(self, firm_id: str, user_ids: Iterable[str]) -> frozenset[str]:
        return frozenset(user_ids) & self.firm_users if firm_id == self.firm_id else frozenset()


@dataclass
class FakeLinkTokens:
    """Link tokens numbered in issue order (`link-1`, ...), found until they expire by
    `clock`."""

    clock: FakeClock = field(default_factory=FakeClock)
    grants: dict[str, LinkGrant] = field(default_factory=dict)

    def issue(self, grant: LinkGrant) -> str:
        token = f"link-{len(self.grants) + 1}"
        self.grants[token] = grant
        return token

    def find(self, token: str, purpose: LinkPurpose) -> LinkGrant | None:
        grant = self.grants.get(token)
        if grant is None or grant.purpose is not purpose:
            return None
        return grant if grant.expires_at > self.clock.now() else None


@dataclass
class FakeEmailGroups:
    """Bursts by (firm, thread, contact), as the table keeps them."""

    bursts: dict[tuple[str, str, str], EmailGroup] = field(default_factory=dict)

    def open(self, group: EmailGroup, at: datetime) -> bool:
        key = (group.firm_id, group.thread_id, group.contact_id)
        current = self.bursts.get(key)
        if current is not None and current.until > at:
            return False
        self.bursts[key] = group
        return True

    def fold(self, firm_id: str, thread_id: str, contact_id: str, seq: int) -> None:
        current = self.bursts[(firm_id, thread_id, contact_id)]
        if current.last_seq < seq:
            self.bursts[(firm_id, thread_id, contact_id)] = replace(current, last_seq=seq)

    def drop(self, firm_id: str, thread_id: str, contact_id: str, first_seq: int) -> None:
        current = self.bursts.get((firm_id, thread_id, contact_id))
        if current is not None and current.first_seq == current.last_seq == first_seq:
            del self.bursts[(firm_id, thread_id, contact_id)]

    def get(self, firm_id: str, thread_id: str, contact_id: str) -> EmailGroup | None:
        return self.bursts.get((firm_id, thread_id, contact_id))


@dataclass
class FakeFollowUps:
    """Every follow-up scheduled, once each."""

    scheduled: list[EmailGroup] = field(default_factory=list)

    def schedule(self, group: EmailGroup) -> None:
        if group not in self.scheduled:
            self.scheduled.append(group)
