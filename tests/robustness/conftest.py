"""Fast suites: a firm of four people (owner, assigned member, two contacts of one account)
with the thread and message services on their real adapters in moto; pushes are recorded.
Slow suites: the local cloud as a child process, its demo logins signed in by role, and a
tally of what they did, printed at the end of the run."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

import pytest

from bench.local_session import DemoSession
from firmchat.domain.caller import Caller
from firmchat.domain.principal import Principal, Role
from firmchat.domain.threads import NewMessage, NewThread
from firmchat.root import Root
from firmchat.services.directory import PeopleDirectory
from firmchat.services.identity import Authenticator
from firmchat.services.messages import Messages
from firmchat.services.threads import Threads
from localcloud.cloud import Endpoints
from localcloud.process import LocalCloudProcess
from testkit.fakes import FakeEvents
from testkit.people import Seeder

ACCOUNT = "acc-1"
_ids = count()


def new_message(text: str = "Hello") -> NewMessage:
    return NewMessage(client_id=f"robust-{next(_ids):08d}", body=f"<p>{text}</p>")


def new_thread(subject: str = "Year-end") -> NewThread:
    return NewThread(account_id=ACCOUNT, subject=subject, message=new_message())


@dataclass
class Firm:
    threads: Threads
    messages: Messages
    events: FakeEvents
    people: dict[str, Principal]


@pytest.fixture
def new_firm(core_settings):
    """Makes a new firm each call (a property test wants one an example)."""
    firms = count()

    def make() -> Firm:
        firm_id = f"firm-{next(firms)}"
        seeder = Seeder()
        seeder.firm(firm_id, f"{firm_id}-owner")
        seeder.account(firm_id, ACCOUNT)
        seeder.firm_user(firm_id, "member", f"{firm_id}-member", Role.MEMBER, assigned=[ACCOUNT])
        for contact in ("anna", "ben"):
            seeder.client_user(firm_id, ACCOUNT, contact, f"{firm_id}-{contact}")
        authenticator = Authenticator(Root().people_store)
        people = {
            who: authenticator.principal_for(Caller(firm_id=firm_id, subject=f"{firm_id}-{who}"))
            for who in ("owner", "member", "anna", "ben")
        }
        store, directory = Root().thread_store, PeopleDirectory(Root().people_store)
        events = FakeEvents()
        clock = Root().clock
        return Firm(
            Threads(store, directory, events, clock),
            Messages(store, directory, events, clock),
            events,
            people,
        )

    return make


# ---------------------------------------------------------------- the slow suites


@dataclass
class Tally:
    """What a slow suite did, printed at the end of the run (docs/reliability.md quotes it)."""

    lines: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, suite: str, what: str, number: int = 1) -> None:
        self.lines.setdefault(suite, Counter())[what] += number


TALLY = Tally()


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for suite, counts in TALLY.lines.items():
        figures = ", ".join(f"{what}: {number}" for what, number in sorted(counts.items()))
        terminalreporter.write_line(f"robustness {suite}: {figures}")


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[Endpoints]:
    """The local cloud with its demo firm, as `make run` starts it, for the slow suites."""
    with LocalCloudProcess() as cloud:
        assert cloud.endpoints is not None
        yield cloud.endpoints


@pytest.fixture(scope="session")
def sessions(local_cloud: Endpoints) -> dict[str, DemoSession]:
    """Signed-in demo logins by role: owner, admin, member (assigned to one account), client."""
    logins = {
        "owner": "owner",
        "admin": "admin",
        "member": "member assigned to Lovelace",
        "client": "contact of Lovelace",
    }
    return {role: DemoSession.sign_in(local_cloud, who) for role, who in logins.items()}
