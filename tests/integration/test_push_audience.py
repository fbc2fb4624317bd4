"""Who a thread event is pushed to, decided afresh from the people's records at every
publish and loaded in batches: the DynamoDB requests of a send do not grow with the number
of people online, and nobody the policy would refuse (a removed user, an unassigned member,
another account's client, a contact whose access was just turned off) receives anything."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from firmchat.adapters.aws import dynamodb
from firmchat.adapters.people import DynamoPeopleStore
from firmchat.domain.caller import Caller
from firmchat.domain.people import ContactChanges, FirmUserChanges
from firmchat.domain.policy import ThreadFacts
from firmchat.domain.principal import Principal, Role
from firmchat.domain.threads import NewMessage, NewThread
from firmchat.errors import NotFoundError
from firmchat.root import Root
from firmchat.services.audience import Audience
from firmchat.services.directory import PeopleDirectory
from firmchat.services.identity import Authenticator
from firmchat.services.messages import Messages
from firmchat.services.realtime import Broadcast
from firmchat.services.threads import Threads
from testkit.aws_calls import Calls, recorder
from testkit.fakes import FakePusher
from testkit.people import Seeder

FIRM = "firm-1"
ACCOUNT, OTHER_ACCOUNT = "acct-1", "acct-2"
OWNER = "sub-owner"
CLIENT = "sub-client"
ASSIGNED, UNASSIGNED, REMOVED = "sub-assigned", "sub-unassigned", "sub-removed"
# Online in the large case, besides the two above: members (every other one assigned to the
# thread's account) and clients of both accounts.
CROWD_MEMBERS, CROWD_CLIENTS = 22, 16


@dataclass
class World:
    people: DynamoPeopleStore
    sender: FakePusher
    messages: Messages
    thread_id: str
    owner: Principal

    def send(self) -> None:
        self.sender.frames.clear()
        self.messages.post(
            self.owner, self.thread_id, NewMessage(client_id=_ids(), body="<p>Hi</p>")
        )


_counter = iter(range(10**6))


def _ids() -> str:
    return f"client-msg-{next(_counter):06d}"


def _online(subject: str) -> str:
    connection_id = f"conn-{subject}"
    Root().connections.register(Caller(firm_id=FIRM, subject=subject), connection_id)
    return connection_id


@pytest.fixture
def world(core_settings) -> World:
    seeder = Seeder()
    seeder.firm(FIRM, OWNER)
    for account in (ACCOUNT, OTHER_ACCOUNT):
        seeder.account(FIRM, account)
    seeder.client_user(FIRM, ACCOUNT, "client", CLIENT)
    people = Root().people_store
    authenticator = Authenticator(people)
    sender = FakePusher()
    directory = PeopleDirectory(people)
    events = Broadcast(
        Audience(Root().connections, authenticator, people), sender, Root().thread_store
    )
    store = Root().thread_store
    owner = authenticator.principal_for(Caller(firm_id=FIRM, subject=OWNER))
    view, _ = Threads(store, directory, events, Root().clock).create(
        owner,
        NewThread(
            account_id=ACCOUNT,
            subject="Year-end",
            message=NewMessage(client_id=_ids(), body="<p>Start</p>"),
        ),
    )
    return World(
        people, sender, Messages(store, directory, events, Root().clock), view.thread_id, owner
    )


def _dynamodb_requests(calls: Calls) -> Counter[str]:
    return Counter(call.operation for call in calls.dynamodb_data_calls())


def _send_cost(world: World) -> Counter[str]:
    with recorder.recording() as calls:
        world.send()
    return _dynamodb_requests(calls)


def test_a_send_costs_the_same_with_2_and_with_40_people_online(world):
    seeder = Seeder()
    for subject in (OWNER, CLIENT):
        _online(subject)
    with_two = _send_cost(world)
    assert len(world.sender.frames) == 2

    for n in range(CROWD_MEMBERS):
        assigned = [ACCOUNT] if n % 2 else [OTHER_ACCOUNT]
        seeder.firm_user(FIRM, f"member-{n}", f"sub-member-{n}", Role.MEMBER, assigned=assigned)
        _online(f"sub-member-{n}")
    for n in range(CROWD_CLIENTS):
        account = (ACCOUNT, OTHER_ACCOUNT)[n % 2]
        seeder.client_user(FIRM, account, f"client-{n}", f"sub-client-{n}")
        _online(f"sub-client-{n}")
    with_forty = _send_cost(world)

    # The owner, the client, the assigned half of the members, the clients of the account.
    assert len(world.sender.frames) == 2 + CROWD_MEMBERS // 2 + CROWD_CLIENTS // 2
    assert with_two == with_forty
    # Read the thread (1 BatchGetItem), write the message (1 transaction), then the push:
    # the open connections (1 Query), their logins and their records (2 BatchGetItem), the
    # receivers' unread counts (1 BatchGetItem while they are 50 or fewer).
    assert with_forty == {"BatchGetItem": 4, "TransactWriteItems": 1, "Query": 1}


def test_only_those_the_policy_lets_see_the_thread_receive_it_as_of_now(world):
    seeder = Seeder()
    seeder.firm_user(FIRM, "assigned", ASSIGNED, Role.MEMBER, assigned=[ACCOUNT])
    seeder.firm_user(FIRM, "unassigned", UNASSIGNED, Role.MEMBER, assigned=[OTHER_ACCOUNT])
    seeder.firm_user(FIRM, "removed", REMOVED, Role.ADMIN)
    seeder.client_user(FIRM, OTHER_ACCOUNT, "other-client", "sub-other-client")
    removed, _ = world.people.firm_user(FIRM, "removed") or pytest.fail("seeded")
    world.people.change_firm_user(removed, FirmUserChanges(active=False), confirm_owner=None)
    subjects = [OWNER, CLIENT, ASSIGNED, UNASSIGNED, REMOVED, "sub-other-client", "sub-nobody"]
    connections = {subject: _online(subject) for subject in subjects}

    world.send()
    assert set(world.sender.frames) == {connections[s] for s in (OWNER, CLIENT, ASSIGNED)}

    # Access that changes is seen by the very next push: no snapshot to go stale.
    client = world.people.contact(FIRM, ACCOUNT, "client") or pytest.fail("seeded")
    world.people.change_contact(client, ContactChanges(portal_access=False))
    world.people.unassign(FIRM, "assigned", ACCOUNT)
    world.people.assign(FIRM, "unassigned", ACCOUNT)
    world.send()
    assert set(world.sender.frames) == {connections[s] for s in (OWNER, UNASSIGNED)}


def test_everyone_who_may_see_the_thread_is_the_same_rule_without_connections(world):
    """The audience's second question (emails, inbox, reminders): nobody online, and the
    same people as the push would reach, mentioned members included."""
    seeder = Seeder()
    seeder.firm_user(FIRM, "assigned", ASSIGNED, Role.MEMBER, assigned=[ACCOUNT])
    seeder.firm_user(FIRM, "unassigned", UNASSIGNED, Role.MEMBER, assigned=[OTHER_ACCOUNT])
    seeder.firm_user(FIRM, "removed", REMOVED, Role.ADMIN)
    seeder.client_user(FIRM, OTHER_ACCOUNT, "other-client", "sub-other-client")
    removed, _ = world.people.firm_user(FIRM, "removed") or pytest.fail("seeded")
    world.people.change_firm_user(removed, FirmUserChanges(active=False), confirm_owner=None)
    thread = Root().thread_store.get(FIRM, world.thread_id) or pytest.fail("created")
    audience = Audience(Root().connections, Authenticator(world.people), world.people)

    def subjects(facts: ThreadFacts) -> set[str]:
        return {person.subject for person in audience.everyone(facts)}

    assert subjects(thread.facts()) == {OWNER, CLIENT, ASSIGNED}
    mentioned = thread.facts().model_copy(update={"mentioned_user_ids": frozenset({"unassigned"})})
    assert subjects(mentioned) == {OWNER, CLIENT, ASSIGNED, UNASSIGNED}
    assert audience.connected(thread.facts()) == []


def test_assignments_live_on_the_users_item_and_change_with_the_assignment(world):
    Seeder().firm_user(FIRM, "member", ASSIGNED, Role.MEMBER, assigned=[ACCOUNT, OTHER_ACCOUNT])
    authenticator = Authenticator(world.people)
    caller = Caller(firm_id=FIRM, subject=ASSIGNED)

    world.people.unassign(FIRM, "member", ACCOUNT)
    assert authenticator.principal_for(caller).assigned_account_ids == {OTHER_ACCOUNT}
    world.people.unassign(FIRM, "member", OTHER_ACCOUNT)
    with recorder.recording() as calls:
        assert authenticator.principal_for(caller).assigned_account_ids == frozenset()
    # The login, the firm, the user's own item: no query of the user's item collection.
    assert _dynamodb_requests(calls) == {"GetItem": 3}

    world.people.assign(FIRM, "member", ACCOUNT)
    (batched,) = authenticator.principals_for(FIRM, [ASSIGNED])
    assert batched == authenticator.principal_for(caller)
    assert batched.assigned_account_ids == {ACCOUNT}


def test_assigning_to_a_user_that_does_not_exist_writes_nothing(world, core_settings):
    table = dynamodb().Table(core_settings.resolve({"Ref": "ChatTable"}))
    before = table.scan()["Count"]

    with pytest.raises(NotFoundError):
        world.people.assign(FIRM, "nobody", ACCOUNT)

    assert table.scan()["Count"] == before


def test_keys_dynamodb_leaves_unprocessed_are_asked_again(world, monkeypatch):
    Seeder().firm_user(FIRM, "member", ASSIGNED, Role.MEMBER, assigned=[ACCOUNT])
    client = dynamodb().meta.client
    real: Any = client.batch_get_item
    answered: list[int] = []

    def throttled(**request: Any) -> dict[str, Any]:
        ((table, wanted),) = request["RequestItems"].items()
        first, *rest = wanted["Keys"]
        answer: dict[str, Any] = real(RequestItems={table: {**wanted, "Keys": [first]}})
        answered.append(1 + len(rest))
        if rest:
            answer["UnprocessedKeys"] = {table: {**wanted, "Keys": rest}}
        return answer

    monkeypatch.setattr(client, "batch_get_item", throttled)
    principals = Authenticator(world.people).principals_for(FIRM, [OWNER, CLIENT, ASSIGNED])

    assert sorted(p.subject for p in principals) == sorted([OWNER, CLIENT, ASSIGNED])
    # Three logins one at a time, then the firm and the three records one at a time.
    assert answered == [3, 2, 1, 4, 3, 2, 1]
