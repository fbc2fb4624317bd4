"""Requests per operation: the DynamoDB, S3, SES, user pool and management API requests each
API operation makes, counted on the wire (botocore's `before-call`), for a small firm and a
large one.

Each operation is what the HTTP API or a WebSocket action runs: the principal is loaded from
the firm's records (as at every request and frame), then the core's service is called on its
real adapters in an in-process moto account. Pushes go to every socket the access policy
allows (each seeded person holds one).

    python -m bench.requests_per_operation
"""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bench.firm_world import (
    ACCOUNT,
    OTHER_ACCOUNT,
    UNINVITED_CONTACT,
    Calls,
    FirmWorld,
    Services,
    Size,
    aws_account,
    new_message,
    recorder,
)
from bench.report import table, write_section
from firmchat.domain.people import (
    FirmUserChanges,
    NewAccount,
    NewContact,
    NewFirmUser,
    SettingsChanges,
)
from firmchat.domain.principal import Principal
from firmchat.domain.threads import NewThread, ThreadStatus

SMALL = Size("small", threads=10, messages=10, contacts=5, members=5)
LARGE = Size("large", threads=1_000, messages=2_000, contacts=25, members=25)

# Columns other than DynamoDB's, by botocore service name.
SERVICES = {
    "apigatewaymanagementapi": "push (mgmt API)",
    "sesv2": "SES",
    "cognito-idp": "user pool",
    "s3": "S3",
    "scheduler": "Scheduler",
}

type Run = Callable[[FirmWorld, Principal], object]


@dataclass(frozen=True)
class Operation:
    name: str
    who: str  # "owner", "member", "outsider" or "client": see FirmWorld.signed_in
    run: Run


def _thread(world: FirmWorld) -> str:
    return world.thread.thread_id


OPERATIONS = [
    Operation("load the principal (every request)", "member", lambda w, p: None),
    Operation(
        "list firm users (page 25)", "owner", lambda w, p: w.services.people.users(p, 25, None)
    ),
    Operation(
        "invite a firm user",
        "owner",
        lambda w, p: w.services.invitations.invite_user(
            p, NewFirmUser(email=f"new@{w.firm_id}.example", name="New Person")
        ),
    ),
    Operation(
        "change a firm user",
        "owner",
        lambda w, p: w.services.people.change_user(p, "member-0", FirmUserChanges(name="Renamed")),
    ),
    Operation(
        "assign an account",
        "owner",
        lambda w, p: w.services.people.assign(p, "member-0", OTHER_ACCOUNT),
    ),
    Operation(
        "list client accounts (page 25)",
        "owner",
        lambda w, p: w.services.people.accounts(p, 25, None),
    ),
    Operation(
        "add a client account",
        "owner",
        lambda w, p: w.services.people.add_account(p, NewAccount(name="Harbour Bakery")),
    ),
    Operation(
        "add a contact",
        "owner",
        lambda w, p: w.services.people.add_contact(
            p, ACCOUNT, NewContact(name="Ada Added", email=f"ada@{w.firm_id}.example")
        ),
    ),
    Operation(
        "invite a contact",
        "owner",
        lambda w, p: w.services.invitations.invite_contact(p, ACCOUNT, UNINVITED_CONTACT),
    ),
    Operation(
        "create a thread",
        "owner",
        lambda w, p: w.services.threads.create(
            p, NewThread(account_id=ACCOUNT, subject="Payroll", message=new_message())
        ),
    ),
    Operation("get a thread", "client", lambda w, p: w.services.threads.get(p, _thread(w))),
    Operation(
        "list the account's threads (page 25)",
        "client",
        lambda w, p: w.services.threads.of_account(p, ACCOUNT, ThreadStatus.ACTIVE, 25, None),
    ),
    Operation(
        "accounts with unread chats (page 25)",
        "owner",
        lambda w, p: w.services.threads.accounts(p, "unread", 25, None),
    ),
    Operation(
        "firm-wide threads, owner (page 25)",
        "owner",
        lambda w, p: w.services.threads.of_firm(p, ThreadStatus.ACTIVE, 25, None),
    ),
    Operation(
        "firm-wide threads, member of another account",
        "outsider",
        lambda w, p: w.services.threads.of_firm(p, ThreadStatus.ACTIVE, 25, None),
    ),
    Operation(
        "list messages (page 25)",
        "member",
        lambda w, p: w.services.messages.of_thread(p, _thread(w), 25, None),
    ),
    Operation(
        "post a message",
        "client",
        lambda w, p: w.services.messages.post(p, _thread(w), new_message()),
    ),
    Operation("mark read", "member", lambda w, p: w.services.messages.mark_read(p, _thread(w))),
    Operation("typing", "client", lambda w, p: w.services.messages.typing(p, _thread(w))),
    Operation("archive a thread", "owner", lambda w, p: w.services.threads.archive(p, _thread(w))),
    Operation("reopen a thread", "owner", lambda w, p: w.services.threads.reopen(p, _thread(w))),
    Operation("print a thread", "member", lambda w, p: w.services.threads.printable(p, _thread(w))),
    Operation("delete a thread", "owner", lambda w, p: w.services.threads.delete(p, _thread(w))),
]


# ------------------------------------------------------------ notifications

NOTIFICATIONS = (
    "a firm message, not grouped (group minutes 0)",
    "a firm message, grouped: the first of a burst",
    "a firm message, grouped: the first one folded (schedules)",
    "a firm message, grouped: folded again",
    "the follow-up at the end of a burst (one contact)",
)


def _notify(world: FirmWorld, thread_id: str, seq: int) -> Calls:
    """What the stream worker does with one new message: the inbox, then the emails."""
    services = world.services
    thread = services.thread_store.get(world.firm_id, thread_id)
    assert thread is not None
    message = services.thread_store.message(thread, seq)
    with recorder.recording() as calls:
        services.message_notifications.message_posted(world.firm_id, message)
    return calls


def _group_minutes(world: FirmWorld, minutes: int) -> None:
    changes = SettingsChanges(client_email_group_minutes=minutes)
    world.services.people.change_settings(world.signed_in("owner"), changes)
    world.owner = world.signed_in("owner")


def measure_notifications(world: FirmWorld) -> dict[str, Calls]:
    """Each row of NOTIFICATIONS, in a thread of its own where a burst is needed."""
    counted: dict[str, Calls] = {}
    _group_minutes(world, 0)
    alone = world.new_thread("Not grouped")
    counted[NOTIFICATIONS[0]] = _notify(world, alone.thread_id, 1)
    _group_minutes(world, 5)
    burst = world.new_thread("A burst")
    counted[NOTIFICATIONS[1]] = _notify(world, burst.thread_id, 1)
    for row, seq in ((NOTIFICATIONS[2], 2), (NOTIFICATIONS[3], 3)):
        world.services.quiet_messages.post(world.owner, burst.thread_id, new_message())
        counted[row] = _notify(world, burst.thread_id, seq)
    group = world.services.email_groups.get(world.firm_id, burst.thread_id, "contact-0")
    assert group is not None
    with recorder.recording() as calls:
        world.services.client_emails.follow_up(
            world.firm_id, burst.thread_id, "contact-0", group.until.isoformat()
        )
    counted[NOTIFICATIONS[4]] = calls
    return counted


def render_notifications(counted: dict[str, dict[str, Calls]]) -> str:
    rows = []
    for name in NOTIFICATIONS:
        small, large = (counted[size.label][name] for size in (SMALL, LARGE))
        rows.append(
            [
                name,
                _dynamodb(small),
                _dynamodb(large),
                f"{small.count('sesv2')} / {large.count('sesv2')}",
                f"{small.count('scheduler')} / {large.count('scheduler')}",
                f"{small.count('apigatewaymanagementapi')} / "
                f"{large.count('apigatewaymanagementapi')}",
            ]
        )
    header = ["notification", "DynamoDB, small", "DynamoDB, large", "SES s/l", "Scheduler s/l"]
    return table([*header, "push s/l"], rows)


def measure_operation(world: FirmWorld, operation: Operation) -> Calls:
    """The requests of one operation, the principal's loading included."""
    with recorder.recording() as calls:
        operation.run(world, world.signed_in(operation.who))
    return calls


def _dynamodb(calls: Calls) -> str:
    by_operation = Counter(call.operation for call in calls.of("dynamodb"))
    if not by_operation:
        return "0"
    detail = ", ".join(
        f"{name.removesuffix('Items').removesuffix('Item')} {number}"
        for name, number in sorted(by_operation.items())
    )
    return f"{sum(by_operation.values())} ({detail})"


def measure() -> tuple[dict[str, dict[str, Calls]], dict[str, float]]:
    """The calls of every operation (and notification) at each size; and the seconds each
    size took to seed."""
    counted: dict[str, dict[str, Calls]] = {size.label: {} for size in (SMALL, LARGE)}
    seeding: dict[str, float] = {}
    with aws_account():
        services = Services()
        for size in (SMALL, LARGE):
            started = time.perf_counter()
            world = FirmWorld(services, size, f"firm-{size.label}")
            seeding[size.label] = time.perf_counter() - started
            for operation in OPERATIONS:
                counted[size.label][operation.name] = measure_operation(world, operation)
            counted[size.label].update(measure_notifications(world))
    return counted, seeding


def render(counted: dict[str, dict[str, Calls]]) -> str:
    rows = []
    for operation in OPERATIONS:
        small, large = (counted[size.label][operation.name] for size in (SMALL, LARGE))
        others = [f"{small.count(service)} / {large.count(service)}" for service in SERVICES]
        rows.append([operation.name, operation.who, _dynamodb(small), _dynamodb(large), *others])
    header = ["operation", "as", "DynamoDB, small", "DynamoDB, large"]
    return table([*header, *(f"{name} s/l" for name in SERVICES.values())], rows)


def main(argv: list[str] | None = None) -> str:
    counted, seeding = measure()
    body = render(counted)
    notifications = render_notifications(counted)
    seeded = "; ".join(f"{label} in {seconds:.1f} s" for label, seconds in seeding.items())
    write_section(
        "Requests per operation",
        "python -m bench.requests_per_operation",
        f"""Every AWS request an operation makes, counted on the wire with the botocore
recorder of `testkit/aws_calls.py`: the principal loaded as at every HTTP request and
WebSocket frame, then the core's service on its real adapters, in moto in-process. Each person
seeded holds one open socket, so pushes go to every connected person the access policy
allows. Sizes:

- {SMALL}
- {LARGE}

"s/l" columns give small / large. The large firm's threads and messages beyond the first are
batch-written in the adapter's item shapes (moto copies the whole table on every
transaction, so seeding through the services is quadratic); seeding took {seeded}.

{body}

Requests per notification: what the stream worker (and, at the end of a burst, the
follow-up function) makes for one firm message, every contact of the account notified
(5 small, 25 large) and the thread's creator not concerned (the firm wrote).

{notifications}""",
    )
    return f"{body}\n{notifications}"


if __name__ == "__main__":
    print(main())
