"""Threads, messages and read state through the services, on the DynamoDB adapter in moto.

The people side and the real-time channel are fakes of their ports: the threads' own rules,
writes and request counts are what is under test here.
"""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import count
from typing import Any

import boto3
import pytest

from firmchat.adapters.aws import dynamodb
from firmchat.adapters.items.threads import message_item, thread_item
from firmchat.adapters.threads import DynamoThreadStore
from firmchat.domain import keys
from firmchat.domain.events import MessagePosted, Typing
from firmchat.domain.paging import page_size
from firmchat.domain.principal import Principal, PrincipalKind, Right, Role
from firmchat.domain.threads import (
    Author,
    Message,
    MessageStatus,
    NewMessage,
    NewThread,
    Thread,
    ThreadStatus,
)
from firmchat.errors import ConflictError, InvalidInputError, NotFoundError, PayloadTooLargeError
from firmchat.root import Root
from firmchat.services.messages import TYPING_INTERVAL, Messages
from firmchat.services.threads import Threads
from localcloud.template import Resolver
from testkit.fakes import FakeClock, FakeDirectory, FakeEvents

FIRM, OTHER_FIRM = "firm-a", "firm-b"
OWNER = Principal(
    firm_id=FIRM,
    user_id="u-owner",
    subject="s-owner",
    kind=PrincipalKind.FIRM_USER,
    display_name="Olivia Owner",
    role=Role.OWNER,
)
MEMBER = Principal(
    firm_id=FIRM,
    user_id="u-member",
    subject="s-member",
    kind=PrincipalKind.FIRM_USER,
    display_name="Max Member",
    role=Role.MEMBER,
    assigned_account_ids=frozenset({"acc-2"}),
)
ALL_ACCOUNTS = MEMBER.model_copy(
    update={"user_id": "u-all", "subject": "s-all", "rights": frozenset({Right.ALL_ACCOUNTS})}
)
CLIENT = Principal(
    firm_id=FIRM,
    user_id="c-anna",
    subject="s-anna",
    kind=PrincipalKind.CLIENT_USER,
    display_name="Anna Client",
    account_id="acc-1",
)
STRANGER = OWNER.model_copy(update={"firm_id": OTHER_FIRM, "user_id": "u-stranger"})


def fake_directory() -> FakeDirectory:
    return FakeDirectory(
        firm_id=FIRM,
        accounts={"acc-1": True, "acc-2": True, "acc-silent": False},
        firm_users=frozenset({"u-owner", "u-member", "u-all"}),
    )


@pytest.fixture
def world(core_settings):
    store, events = Root().thread_store, FakeEvents()
    clock = FakeClock(tick=timedelta(seconds=1))
    directory = fake_directory()
    return (
        Threads(store, directory, events, clock),
        Messages(store, directory, events, clock),
        events,
    )


ids = count()


def new_message(body="<p>Hello</p>", **extra) -> NewMessage:
    return NewMessage(client_id=f"client-msg-{next(ids):06d}", body=body, **extra)


def new_thread(account="acc-1", subject="Year-end documents", **extra) -> NewThread:
    return NewThread(account_id=account, subject=subject, message=new_message(**extra))


def table_items(core_settings: Resolver) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(core_settings.resolve({"Ref": "ChatTable"}))
    return table.scan()["Items"]


# ------------------------------------------------------------------ the happy paths


def test_a_thread_is_created_listed_read_and_answered(world):
    threads, messages, events = world
    view, created = threads.create(OWNER, new_thread())
    assert created
    assert (view.seq, view.unread, view.status) == (1, 0, ThreadStatus.ACTIVE)

    assert threads.get(CLIENT, view.thread_id).unread == 1
    reply, _ = messages.post(CLIENT, view.thread_id, new_message("<p>Thanks, <b>sent</b></p>"))
    assert reply.author.name == "Anna Client"

    rows = threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 25, None).items
    assert [(row.subject, row.unread, row.last_author.name) for row in rows] == [
        ("Year-end documents", 1, "Anna Client")
    ]
    page = messages.of_thread(OWNER, view.thread_id, 25, None)
    assert [m.text for m in page.items] == ["Thanks, sent", "Hello"]
    # The client replied, so the firm's first message was read by the account (MS-5).
    assert [m.status for m in page.items] == [MessageStatus.SENT, MessageStatus.READ]
    assert [event.type for event in events.published] == ["thread_created", "message"]


def test_marking_read_clears_unread_per_thread_and_per_account_and_flips_the_status(world):
    threads, messages, _ = world
    first, _ = threads.create(OWNER, new_thread())
    second, _ = threads.create(OWNER, new_thread(subject="Payroll"))
    messages.post(OWNER, second.thread_id, new_message())

    (account,) = threads.accounts(CLIENT, "unread", 25, None).items
    assert (account.account_id, account.unread, account.active) == ("acc-1", 3, 2)

    messages.mark_read(CLIENT, second.thread_id)
    assert threads.get(CLIENT, second.thread_id).unread == 0
    assert threads.accounts(CLIENT, "all", 25, None).items[0].unread == 1
    statuses = [m.status for m in messages.of_thread(OWNER, second.thread_id, 25, None).items]
    assert statuses == [MessageStatus.READ, MessageStatus.READ]

    messages.mark_read(CLIENT, first.thread_id)
    assert threads.accounts(CLIENT, "unread", 25, None).items == []


def test_archive_and_reopen_move_the_thread_between_tabs(world):
    threads, _, _ = world
    view, _ = threads.create(OWNER, new_thread())

    threads.archive(OWNER, view.thread_id)
    assert threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 25, None).items == []
    assert [
        t.thread_id
        for t in threads.of_account(CLIENT, "acc-1", ThreadStatus.ARCHIVED, 25, None).items
    ] == [view.thread_id]
    assert [a.account_id for a in threads.accounts(OWNER, "archived", 25, None).items] == ["acc-1"]
    assert threads.accounts(OWNER, "active", 25, None).items == []

    threads.reopen(OWNER, view.thread_id)
    assert threads.get(CLIENT, view.thread_id).status is ThreadStatus.ACTIVE


def test_delete_removes_every_item_of_the_thread_for_good(world, core_settings):
    threads, messages, events = world
    first = new_thread()
    view, _ = threads.create(OWNER, first)
    messages.post(CLIENT, view.thread_id, new_message())
    messages.mark_read(OWNER, view.thread_id)

    threads.delete(OWNER, view.thread_id)

    with pytest.raises(NotFoundError):
        threads.get(OWNER, view.thread_id)
    with pytest.raises(ConflictError, match="was deleted"):
        threads.create(OWNER, first)
    while not threads.purge(FIRM, view.thread_id):
        pass
    assert threads.purge(FIRM, view.thread_id)  # once more: nothing to do
    partition = keys.thread_partition(FIRM, view.thread_id)
    assert [item for item in table_items(core_settings) if item["PK"] == partition] == []
    assert threads.accounts(OWNER, "all", 25, None).items[0].model_dump(
        include={"active", "messages", "unread"}
    ) == {"active": 0, "messages": 0, "unread": 0}
    store = Root().thread_store
    assert [store.account_reads(FIRM, who.user_id, ["acc-1"]) for who in (OWNER, CLIENT)] == [
        {"acc-1": 0},
        {"acc-1": 0},
    ]
    assert events.published[-1].type == "thread_deleted"
    assert events.published[-1].thread.thread_id == view.thread_id


def test_the_firm_wide_list_holds_what_each_viewer_may_see(world):
    threads, messages, _ = world
    mine, _ = threads.create(OWNER, new_thread(account="acc-2", subject="assigned"))
    other, _ = threads.create(OWNER, new_thread(account="acc-1", subject="not assigned"))
    mentioned, _ = threads.create(OWNER, new_thread(account="acc-1", subject="mentioned"))
    messages.post(OWNER, mentioned.thread_id, new_message("<p>@Max</p>", mentions=["u-member"]))

    def subjects(viewer: Principal) -> set[str]:
        return {t.subject for t in threads.of_firm(viewer, ThreadStatus.ACTIVE, 25, None).items}

    assert subjects(OWNER) == subjects(ALL_ACCOUNTS) == {"assigned", "not assigned", "mentioned"}
    assert subjects(MEMBER) == {"assigned", "mentioned"}
    assert subjects(CLIENT) == {"not assigned", "mentioned"}
    assert threads.get(MEMBER, mentioned.thread_id).subject == "mentioned"
    with pytest.raises(NotFoundError):
        threads.get(MEMBER, other.thread_id)
    assert {a.account_id for a in threads.accounts(MEMBER, "all", 25, None).items} == {"acc-2"}
    assert mine.account_id == "acc-2"


def test_pages_follow_the_newest_reply_and_cursors_continue_them(world):
    threads, messages, _ = world
    made = [threads.create(OWNER, new_thread(subject=f"t{n}"))[0] for n in range(30)]
    messages.post(CLIENT, made[0].thread_id, new_message())

    first = threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 25, None)
    second = threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 25, first.cursor)
    subjects = [t.subject for t in first.items + second.items]
    assert subjects[0] == "t0"
    assert subjects[1:] == [f"t{n}" for n in range(29, 0, -1)]

    restricted = [t.subject for t in threads.of_firm(CLIENT, ThreadStatus.ACTIVE, 25, None).items]
    assert len(restricted) == 25


# ------------------------------------------------------------------ bad input


def _partition_snapshot(core_settings: Resolver, thread_id: str) -> list[tuple[str, str]]:
    partition = keys.thread_partition(FIRM, thread_id)
    return sorted(
        (i["SK"], str(i.get("seq"))) for i in table_items(core_settings) if i["PK"] == partition
    )


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ("", InvalidInputError, "empty"),
        ("<p>  </p>", InvalidInputError, "empty"),
        ("x" * 40_000, PayloadTooLargeError, "limit is 24 KB"),
        ("<script>alert(1)</script>hi", InvalidInputError, "scripts are not allowed"),
        ('<img src="document:d" onerror="alert(1)">', InvalidInputError, "onerror"),
        ('<a href="javascript:alert(1)">x</a>', InvalidInputError, "'javascript:'"),
        ('<iframe src="https://evil.example/v/1"></iframe>', InvalidInputError, "only be embedded"),
    ],
)
def test_bad_message_bodies_are_refused_and_nothing_is_written(
    world, core_settings, body, error, message
):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    before = _partition_snapshot(core_settings, view.thread_id)

    with pytest.raises(error, match=message):
        messages.post(OWNER, view.thread_id, new_message(body))
    with pytest.raises(error, match=message):
        threads.create(OWNER, new_thread(body=body))

    assert _partition_snapshot(core_settings, view.thread_id) == before
    assert len(threads.of_firm(OWNER, ThreadStatus.ACTIVE, 25, None).items) == 1


def test_unknown_and_foreign_threads_look_the_same(world):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    for principal, thread_id in [(OWNER, "no-such-thread"), (STRANGER, view.thread_id)]:
        for attempt in (
            partial(threads.get, principal, thread_id),
            partial(messages.post, principal, thread_id, new_message()),
            partial(messages.of_thread, principal, thread_id, 25, None),
            partial(messages.mark_read, principal, thread_id),
            partial(threads.archive, principal, thread_id),
        ):
            with pytest.raises(NotFoundError, match=r"^no such thread$"):
                attempt()


def test_posting_to_an_archived_thread_is_refused_with_what_to_do(world, core_settings):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    threads.archive(OWNER, view.thread_id)
    before = _partition_snapshot(core_settings, view.thread_id)

    with pytest.raises(ConflictError, match="archived: reopen it"):
        messages.post(CLIENT, view.thread_id, new_message())
    assert _partition_snapshot(core_settings, view.thread_id) == before


def test_a_retry_never_makes_a_second_message_and_a_changed_body_is_a_conflict(
    world, core_settings
):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    sent = new_message("<p>once</p>")

    first, created = messages.post(CLIENT, view.thread_id, sent)
    again, created_again = messages.post(CLIENT, view.thread_id, sent)
    assert (created, created_again) == (True, False)
    assert again == first
    snapshot = _partition_snapshot(core_settings, view.thread_id)

    changed = sent.model_copy(update={"body": "<p>twice</p>"})
    with pytest.raises(ConflictError, match="already sent with other content"):
        messages.post(CLIENT, view.thread_id, changed)
    assert _partition_snapshot(core_settings, view.thread_id) == snapshot
    assert threads.get(OWNER, view.thread_id).seq == 2


def test_a_retried_create_finds_its_thread(world):
    threads, _, _ = world
    request = new_thread()
    first, _ = threads.create(OWNER, request)
    again, created = threads.create(OWNER, request)
    assert (again.thread_id, created) == (first.thread_id, False)
    with pytest.raises(ConflictError):
        threads.create(OWNER, request.model_copy(update={"subject": "another"}))


def test_an_account_nobody_can_sign_in_to_cannot_receive_a_thread(world):
    threads, _, _ = world
    with pytest.raises(ConflictError, match="none of its contacts has portal access"):
        threads.create(OWNER, new_thread(account="acc-silent"))
    with pytest.raises(NotFoundError):
        threads.create(OWNER, new_thread(account="acc-missing"))


def test_mentions_name_firm_users_only(world):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    with pytest.raises(InvalidInputError, match="no such firm user to mention: u-ghost"):
        messages.post(OWNER, view.thread_id, new_message(mentions=["u-ghost"]))
    with pytest.raises(InvalidInputError, match="only the firm's team"):
        messages.post(CLIENT, view.thread_id, new_message(mentions=["u-member"]))


def test_bad_pages_and_cursors_are_refused(world):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    with pytest.raises(InvalidInputError, match="choose one of"):
        page_size(30)
    with pytest.raises(InvalidInputError, match="start again"):
        threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 25, "garbage")
    with pytest.raises(InvalidInputError, match="start again"):
        messages.of_thread(OWNER, view.thread_id, 25, "e30")


# ------------------------------------------------------------------ requests per operation


class RequestCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        dynamodb().meta.client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_):
        self.calls[model.name] += 1

    def measure(self, operation: Callable[[], object]) -> dict[str, int]:
        self.calls.clear()
        operation()
        return dict(self.calls)

    def close(self) -> None:
        dynamodb().meta.client.meta.events.unregister("before-call.dynamodb", self._count)


@pytest.fixture
def counter(core_settings):
    counter = RequestCounter()
    yield counter
    counter.close()


def _bulk(core_settings: Resolver) -> Any:
    """Seeding writes items as the store does, in batches: moto copies the whole table for
    every transaction, which would make seeding thousands of items quadratic."""
    return (
        boto3.resource("dynamodb").Table(core_settings.resolve({"Ref": "ChatTable"})).batch_writer()
    )


def _seed_threads(core_settings: Resolver, number: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    author = Author.of(OWNER)
    with _bulk(core_settings) as batch:
        for n in range(number):
            account = f"acc-seed-{n % 200}"
            thread = Thread(
                firm_id=FIRM,
                thread_id=f"seed-{n}",
                account_id=account,
                subject=f"s{n}",
                creator=author,
                created_at=start,
                seq=1,
                last_activity_at=start + timedelta(seconds=n),
                last_author=author,
            )
            batch.put_item(Item=thread_item(thread))
            batch.put_item(
                Item={
                    "PK": keys.chat_accounts_partition(FIRM),
                    "SK": keys.account_sort_key(account),
                    "account_id": account,
                    "active": 1,
                    "messages": 1,
                    "last_activity_at": start.isoformat(),
                }
            )


def _seed_messages(core_settings: Resolver, thread: Thread, number: int) -> None:
    author = Author.of(OWNER)
    with _bulk(core_settings) as batch:
        for seq in range(thread.seq + 1, thread.seq + number + 1):
            message = Message(
                thread_id=thread.thread_id,
                seq=seq,
                client_id=f"seed-{seq:08d}",
                author=author,
                html="<p>seeded</p>",
                text="seeded",
                created_at=thread.last_activity_at,
            )
            batch.put_item(Item=message_item(thread, message))
    boto3.resource("dynamodb").Table(core_settings.resolve({"Ref": "ChatTable"})).update_item(
        Key={"PK": keys.thread_partition(FIRM, thread.thread_id), "SK": keys.THREAD},
        UpdateExpression="SET seq = :seq",
        ExpressionAttributeValues={":seq": thread.seq + number},
    )


def _list_and_send_costs(
    threads: Threads, messages: Messages, counter: "RequestCounter", thread_id: str
) -> dict[str, dict[str, int]]:
    return {
        "account list": counter.measure(
            lambda: threads.of_account(OWNER, "acc-1", ThreadStatus.ACTIVE, 250, None)
        ),
        "firm list": counter.measure(
            lambda: threads.of_firm(OWNER, ThreadStatus.ACTIVE, 100, None)
        ),
        "firm list, restricted": counter.measure(
            lambda: threads.of_firm(CLIENT, ThreadStatus.ACTIVE, 25, None)
        ),
        "account filter": counter.measure(lambda: threads.accounts(OWNER, "unread", 100, None)),
        "messages": counter.measure(lambda: messages.of_thread(CLIENT, thread_id, 100, None)),
        "send": counter.measure(lambda: messages.post(CLIENT, thread_id, new_message())),
        "mark read": counter.measure(lambda: messages.mark_read(OWNER, thread_id)),
        "get": counter.measure(lambda: threads.get(CLIENT, thread_id)),
    }


def test_requests_per_list_and_send_do_not_grow_with_threads(world, counter, core_settings):
    threads, messages, _ = world
    few = [threads.create(OWNER, new_thread(subject=f"t{n}"))[0] for n in range(10)]
    at_ten = _list_and_send_costs(threads, messages, counter, few[0].thread_id)
    _seed_threads(core_settings, 990)
    assert len(threads.of_firm(OWNER, ThreadStatus.ACTIVE, 250, None).items) == 250
    at_thousand = _list_and_send_costs(threads, messages, counter, few[0].thread_id)

    assert at_ten == at_thousand
    assert at_ten["send"] == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert at_ten["account list"] == {"Query": 1, "BatchGetItem": 1}
    assert at_ten["firm list"] == {"Query": 1, "BatchGetItem": 1}


def _stored(thread_id: str) -> Thread:
    return Root().thread_store.get(FIRM, thread_id) or pytest.fail("created")


def test_requests_per_list_and_send_do_not_grow_with_messages(world, counter, core_settings):
    threads, messages, _ = world
    view, _ = threads.create(OWNER, new_thread())
    for _ in range(9):
        messages.post(CLIENT, view.thread_id, new_message())
    at_ten = _list_and_send_costs(threads, messages, counter, view.thread_id)
    _seed_messages(core_settings, _stored(view.thread_id), 1990)
    assert len(messages.of_thread(OWNER, view.thread_id, 250, None).items) == 250
    at_two_thousand = _list_and_send_costs(threads, messages, counter, view.thread_id)

    assert at_ten == at_two_thousand
    assert at_ten["messages"] == {"GetItem": 1, "Query": 1}


def test_typing_signals_are_relayed_at_most_once_an_interval_per_person_and_thread(world):
    threads, _, events = world
    view, _ = threads.create(OWNER, new_thread())
    clock = FakeClock(at=datetime(2026, 1, 1, tzinfo=UTC))
    store, directory = Root().thread_store, fake_directory()
    messages = Messages(store, directory, events, clock)

    def typing_frames() -> list[str]:
        return [event.author.user_id for event in events.published if isinstance(event, Typing)]

    for _ in range(5):
        messages.typing(CLIENT, view.thread_id)
    messages.typing(OWNER, view.thread_id)
    assert typing_frames() == ["c-anna", "u-owner"]

    clock.at += TYPING_INTERVAL
    messages.typing(CLIENT, view.thread_id)
    assert typing_frames() == ["c-anna", "u-owner", "c-anna"]


def test_a_retry_racing_the_original_send_makes_one_message_one_201_and_one_push(world):
    threads, _, events = world
    view, _ = threads.create(OWNER, new_thread())
    store, directory = Root().thread_store, fake_directory()
    retry = Messages(store, directory, events, FakeClock())
    sent = new_message("<p>Once</p>")
    answers: list[tuple[int, bool]] = []

    class RacedStore(DynamoThreadStore):
        """Lets the retry's whole post run between the original's read and its write."""

        def append(self, *arguments: Any) -> Thread:
            message, created = retry.post(CLIENT, view.thread_id, sent)
            answers.append((message.seq, created))
            updated: Thread = super().append(*arguments)
            return updated

    original = Messages(RacedStore(Root().table), directory, events, FakeClock())
    message, created = original.post(CLIENT, view.thread_id, sent)
    answers.append((message.seq, created))

    assert answers == [(2, True), (2, False)]
    pushed = [event for event in events.published if isinstance(event, MessagePosted)]
    assert [event.message.seq for event in pushed] == [2]
    assert threads.get(OWNER, view.thread_id).seq == 2
