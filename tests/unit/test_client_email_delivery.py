"""A client email whose sending fails is released for the stream's retry, which sends it;
one that was sent is never sent again; a burst is one email at once and one follow-up."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from firmchat.domain.people import ClientAccount, Contact, Firm, LoginState
from firmchat.domain.principal import PrincipalKind
from firmchat.domain.threads import Author, Message, Thread
from firmchat.services.audience import ThreadPeople
from firmchat.services.client_emails import ClientEmails
from firmchat.services.reply_addresses import ReplyAddresses
from firmchat.services.unsubscribe import UnsubscribeLinks
from testkit.fakes import FakeClock, FakeEmailGroups, FakeFollowUps, FakeLinkTokens

NOW = datetime(2026, 12, 2, tzinfo=UTC)
OWNER = Author(user_id="owner", kind=PrincipalKind.FIRM_USER, name="Olivia")
THREAD = Thread(
    firm_id="f",
    thread_id="t",
    account_id="a",
    subject="2025 return",
    creator=OWNER,
    created_at=NOW,
    seq=1,
    last_activity_at=NOW,
    last_author=OWNER,
)
MESSAGE = Message(
    thread_id="t", seq=1, client_id="c" * 8, author=OWNER, html="<p>x</p>", text="x", created_at=NOW
)
ADA = Contact(
    firm_id="f",
    account_id="a",
    contact_id="ada",
    name="Ada",
    email="ada@a.example",
    portal_access=True,
    login_state=LoginState.ACTIVATED,
    subject="sub-ada",
)


class People:
    def firm(self, firm_id: str) -> Firm:
        return Firm(firm_id=firm_id, name="Firm")

    def account(self, firm_id: str, account_id: str) -> ClientAccount:
        return ClientAccount(firm_id=firm_id, account_id=account_id, name="Lovelace")

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]:
        return [ADA]


PEOPLE = ThreadPeople(THREAD, People().firm("f"), (ADA,))
"""What the stream worker read of the thread once, for the inbox and these emails."""


class Threads:
    def __init__(self) -> None:
        self.read = 0

    def get(self, firm_id: str, thread_id: str) -> Thread:
        return THREAD

    def read_seqs(self, firm_id: str, user_id: str, thread_ids: Sequence[str]) -> dict[str, int]:
        return dict.fromkeys(thread_ids, self.read)


class Ledger:
    def __init__(self) -> None:
        self.marks: dict[tuple[str, str, str], str] = {}

    def claim(self, firm_id: str, event_id: str, recipient: str) -> bool:
        key = (firm_id, event_id, recipient)
        if key in self.marks:
            return False
        self.marks[key] = "claimed"
        return True

    def confirm(self, firm_id: str, event_id: str, recipient: str) -> None:
        self.marks[(firm_id, event_id, recipient)] = "sent"

    def release(self, firm_id: str, event_id: str, recipient: str) -> None:
        del self.marks[(firm_id, event_id, recipient)]


class Mailer:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[str] = []

    def send(self, to: str, subject: str, text: str, **_: object) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("SES is unreachable")
        self.sent.append(to)


def _emails(
    mailer: Mailer, ledger: Ledger | None = None, threads: Threads | None = None
) -> tuple[ClientEmails, FakeEmailGroups, FakeFollowUps]:
    tokens, clock = FakeLinkTokens(), FakeClock()
    links = UnsubscribeLinks(
        tokens, clock, api_origin="https://api.example", reply_domain="r.example"
    )
    groups, follow_ups = FakeEmailGroups(), FakeFollowUps()
    emails = ClientEmails(
        threads or Threads(),
        People(),
        ledger or Ledger(),
        mailer,
        unsubscribe_links=links,
        reply_addresses=ReplyAddresses(tokens, clock, reply_domain="r.example"),
        groups=groups,
        follow_ups=follow_ups,
        portal_origin="https://portal.example",
    )
    return emails, groups, follow_ups


def _message(seq: int, minutes: float) -> Message:
    return MESSAGE.model_copy(update={"seq": seq, "created_at": NOW + timedelta(minutes=minutes)})


def test_a_failed_send_is_released_and_the_retry_sends_it_once():
    ledger, mailer = Ledger(), Mailer(failures=1)
    emails, groups, _ = _emails(mailer, ledger)

    with pytest.raises(ConnectionError):
        emails.message_posted(PEOPLE, MESSAGE)
    assert ledger.marks == {}
    assert groups.bursts == {}  # the burst it opened is undone too

    assert emails.message_posted(PEOPLE, MESSAGE).sent == ("ada",)
    assert emails.message_posted(PEOPLE, MESSAGE).sent == ()
    assert mailer.sent == ["ada@a.example"]


def test_a_burst_is_one_email_now_and_one_follow_up_unless_read_meanwhile():
    mailer, threads = Mailer(failures=0), Threads()
    emails, groups, follow_ups = _emails(mailer, threads=threads)

    assert emails.message_posted(PEOPLE, _message(1, 0)).sent == ("ada",)
    for seq, minutes in ((2, 1), (3, 2), (2, 1)):  # the last one redelivered
        assert emails.message_posted(PEOPLE, _message(seq, minutes)).sent == ()
    (scheduled,) = follow_ups.scheduled
    assert (scheduled.first_seq, scheduled.until) == (1, NOW + timedelta(minutes=5))
    assert groups.bursts[("f", "t", "ada")].last_seq == 3

    until = scheduled.until.isoformat()
    assert emails.follow_up("f", "t", "ada", until).sent == ("ada",)
    assert emails.follow_up("f", "t", "ada", until).sent == ()  # retried: sent once
    assert mailer.sent == ["ada@a.example", "ada@a.example"]

    assert emails.message_posted(PEOPLE, _message(4, 6)).sent == ("ada",)  # a new burst
    emails.message_posted(PEOPLE, _message(5, 7))
    threads.read = 5
    later = follow_ups.scheduled[-1].until.isoformat()
    assert emails.follow_up("f", "t", "ada", later).skipped == "read meanwhile"
    assert len(mailer.sent) == 3
