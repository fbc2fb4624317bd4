"""The thread store: threads, messages and read state in the chat table (docs/data-model.md,
"Threads and messages"; items from firmchat.adapters.items.threads). Every list is one Query
plus one BatchGetItem per hundred rows; every write that changes a count changes it in the
same transaction."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import (
    Action,
    Item,
    batch_get,
    condition_failed,
    query_all,
    query_page,
    transact,
)
from firmchat.adapters.items.tasks import tasks_item
from firmchat.adapters.items.threads import (
    client_message_item,
    deleted_thread_item,
    message_from_item,
    message_item,
    read_state_item,
    task_index_keys,
    thread_from_item,
    thread_item,
    thread_key,
)
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.paging import Listing, Page
from firmchat.domain.principal import Principal, PrincipalKind
from firmchat.domain.tasks import TaskList
from firmchat.domain.threads import AccountChats, Message, TaskFilter, Thread, ThreadStatus
from firmchat.domain.views import UnreadCounts
from firmchat.errors import ClientIdTakenError, StaleWriteError
from firmchat.ports.threads import (
    RowFilter,
    SentBefore,
    ThreadContext,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

READ_AHEAD: Final = 1000
"""Rows a filtered list reads in its one query (well under DynamoDB's 1 MB a response)."""
PURGE_CHUNK: Final = 100
"""Items one purge step deletes (one stream record's work, well inside a Lambda's time)."""


def _side_read_attribute(kind: PrincipalKind) -> str:
    return "firm_read_seq" if kind is PrincipalKind.FIRM_USER else "client_read_seq"


def _live(item: Item | None) -> Thread | None:
    """The thread of its item, unless the item is a deleted thread's (then None: a 404)."""
    if not item or item.get("kind") != ItemKind.THREAD:
        return None
    return thread_from_item(item)


class DynamoThreadStore:
    def __init__(self, table: "Table", purge_chunk: int = PURGE_CHUNK) -> None:
        self._table = table
        self._purge_chunk = purge_chunk

    # ------------------------------------------------------------ reads

    def get(self, firm_id: str, thread_id: str) -> Thread | None:
        item = self._table.get_item(
            Key={"PK": keys.thread_partition(firm_id, thread_id), "SK": keys.THREAD},
            ConsistentRead=True,
        ).get("Item")
        return _live(item)

    def context(
        self, firm_id: str, thread_id: str, user_id: str, client_id: str | None = None
    ) -> ThreadContext:
        partition = keys.thread_partition(firm_id, thread_id)
        sort_keys = [keys.THREAD, keys.reader_sort_key(user_id)]
        if client_id is not None:
            sort_keys.append(keys.client_message_sort_key(client_id))
        found = {
            item["SK"]: item
            for item in batch_get(
                self._table, [{"PK": partition, "SK": sk} for sk in sort_keys], consistent=True
            )
        }
        request = found.get(keys.client_message_sort_key(client_id)) if client_id else None
        return ThreadContext(
            thread=_live(found.get(keys.THREAD)),
            read_seq=int(found.get(keys.reader_sort_key(user_id), {}).get("seq", 0)),
            sent_before=SentBefore(
                seq=int(request["seq"]),
                digest=str(request["digest"]),
                write_id=str(request.get("write_id", "")),
            )
            if request
            else None,
        )

    def message(self, thread: Thread, seq: int) -> Message:
        item = self._table.get_item(
            Key={
                "PK": keys.thread_partition(thread.firm_id, thread.thread_id),
                "SK": keys.message_sort_key(seq),
            },
            ConsistentRead=True,
        )["Item"]
        return message_from_item(item)

    def messages(self, thread: Thread, size: int, cursor: str | None) -> Page[Message]:
        listing = Listing(
            thread.firm_id,
            keys.thread_partition(thread.firm_id, thread.thread_id),
            sort_prefix=keys.MESSAGE_PREFIX,
        )
        items, last = query_page(
            self._table,
            listing,
            cursor,
            Key("PK").eq(listing.partition) & Key("SK").begins_with(keys.MESSAGE_PREFIX),
            ScanIndexForward=False,
            Limit=size,
        )
        return Page(
            items=[Message.model_validate(item) for item in items], cursor=listing.cursor(last)
        )

    def all_messages(self, thread: Thread) -> Iterator[Message]:
        partition = keys.thread_partition(thread.firm_id, thread.thread_id)
        condition = Key("PK").eq(partition) & Key("SK").begins_with(keys.MESSAGE_PREFIX)
        yield from (Message.model_validate(item) for item in query_all(self._table, condition))

    def account_threads(
        self,
        firm_id: str,
        account_id: str,
        status: ThreadStatus,
        size: int,
        cursor: str | None,
        *,
        tasks: TaskFilter = "all",
    ) -> Page[Thread]:
        """One query of GSI1, or with a task filter of the sparse GSI3 (threads with tasks)
        or GSI4 (all done, or not): never a read of threads the filter drops."""
        if tasks == "all":
            listing = Listing(
                firm_id, keys.account_threads_index(firm_id, account_id, status), index="GSI1"
            )
        elif tasks == "with_tasks":
            partition = keys.account_task_threads_index(firm_id, account_id, status)
            listing = Listing(firm_id, partition, index="GSI3", sorted_on="GSI1SK")
        else:
            done = tasks == "completed"
            partition = keys.account_task_state_index(firm_id, account_id, status, done)
            listing = Listing(firm_id, partition, index="GSI4", sorted_on="GSI1SK")
        return self._page(listing, size, cursor, None, Thread.model_validate, newest_first=True)

    def firm_threads(
        self,
        firm_id: str,
        status: ThreadStatus,
        size: int,
        cursor: str | None,
        keep: RowFilter[Thread] | None,
    ) -> Page[Thread]:
        listing = Listing(firm_id, keys.firm_threads_index(firm_id, status), index="GSI2")
        return self._page(listing, size, cursor, keep, Thread.model_validate, newest_first=True)

    def chat_accounts(
        self, firm_id: str, size: int, cursor: str | None, keep: RowFilter[AccountChats] | None
    ) -> Page[AccountChats]:
        listing = Listing(firm_id, keys.chat_accounts_partition(firm_id))
        return self._page(
            listing, size, cursor, keep, AccountChats.model_validate, newest_first=False
        )

    def read_seqs(self, firm_id: str, user_id: str, thread_ids: Sequence[str]) -> dict[str, int]:
        found = batch_get(
            self._table,
            [
                {
                    "PK": keys.thread_partition(firm_id, thread_id),
                    "SK": keys.reader_sort_key(user_id),
                }
                for thread_id in thread_ids
            ],
        )
        by_partition = {item["PK"]: int(item["seq"]) for item in found}
        return {
            thread_id: by_partition.get(keys.thread_partition(firm_id, thread_id), 0)
            for thread_id in thread_ids
        }

    def account_reads(
        self, firm_id: str, user_id: str, account_ids: Sequence[str]
    ) -> dict[str, int]:
        partition = keys.account_reads_partition(firm_id, user_id)
        found = batch_get(
            self._table,
            [{"PK": partition, "SK": keys.account_sort_key(account)} for account in account_ids],
        )
        by_key = {item["SK"]: int(item["read"]) for item in found}
        return {account: by_key.get(keys.account_sort_key(account), 0) for account in account_ids}

    def unread_counts(self, thread: Thread, user_ids: Sequence[str]) -> dict[str, UnreadCounts]:
        """Each user's unread in the thread and in its account: their read state in the
        thread and their read total in the account, with the account's message count, in
        one BatchGetItem per 50 users."""
        firm_id, partition = thread.firm_id, keys.thread_partition(thread.firm_id, thread.thread_id)
        account = keys.account_sort_key(thread.account_id)
        summary = {"PK": keys.chat_accounts_partition(firm_id), "SK": account}
        wanted = [summary]
        for user_id in user_ids:
            wanted.append({"PK": partition, "SK": keys.reader_sort_key(user_id)})
            wanted.append({"PK": keys.account_reads_partition(firm_id, user_id), "SK": account})
        found = {(item["PK"], item["SK"]): item for item in batch_get(self._table, wanted)}
        messages = int(found.get((summary["PK"], account), {}).get("messages", 0))

        def counts(user_id: str) -> UnreadCounts:
            read = found.get((partition, keys.reader_sort_key(user_id)), {})
            total = found.get((keys.account_reads_partition(firm_id, user_id), account), {})
            return UnreadCounts(
                thread=max(thread.seq - int(read.get("seq", 0)), 0),
                account=max(messages - int(total.get("read", 0)), 0),
            )

        return {user_id: counts(user_id) for user_id in user_ids}

    def _page[T](
        self,
        listing: Listing,
        size: int,
        cursor: str | None,
        keep: RowFilter[T] | None,
        parse: Callable[[Item], T],
        *,
        newest_first: bool,
    ) -> Page[T]:
        """One query. With `keep`, reads ahead and skips refused rows; the cursor is then the
        key of the last row returned, so the next page starts right after it."""
        items, last_evaluated = query_page(
            self._table,
            listing,
            cursor,
            ScanIndexForward=not newest_first,
            Limit=size if keep is None else max(size, READ_AHEAD),
        )
        rows: list[T] = []
        for item in items:
            row = parse(item)
            if keep is None or keep(row):
                rows.append(row)
            if len(rows) == size:
                last = {name: item[name] for name in listing.key_attributes}
                return Page(items=rows, cursor=listing.cursor(last))
        return Page(items=rows, cursor=listing.cursor(last_evaluated))

    # ------------------------------------------------------------ writes

    def create(
        self, thread: Thread, message: Message, digest: str, tasks: TaskList | None = None
    ) -> None:
        task_list = [] if tasks is None else [Action("Put", {"Item": tasks_item(tasks)})]
        transact(
            self._table,
            [
                *task_list,
                Action(
                    "Put",
                    {
                        "Item": thread_item(thread),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    },
                    StaleWriteError(),
                ),
                *_message_writes(thread, message, digest, read_seq=0, write_id=""),
                _summary_update(
                    thread, {"active": 1, "messages": 1}, thread.last_activity_at.isoformat()
                ),
            ],
        )

    def append(
        self, thread: Thread, message: Message, digest: str, read_seq: int, write_id: str
    ) -> Thread:
        side = _side_read_attribute(message.author.kind)
        updated = thread.model_copy(
            update={
                "seq": message.seq,
                "last_activity_at": message.created_at,
                "last_author": message.author,
                "mentioned_user_ids": thread.mentioned_user_ids | message.mentions,
                side: message.seq,
            }
        )
        item = thread_item(updated)
        thread_update = {
            "Key": {"PK": item["PK"], "SK": item["SK"]},
            "UpdateExpression": (
                "SET seq = :seq, last_activity_at = :at, last_author = :author, "
                f"mentioned_user_ids = :mentioned, {side} = :seq, "
                "GSI1SK = :activity, GSI2SK = :activity"
            ),
            "ConditionExpression": "seq = :old AND #status = :active",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":seq": message.seq,
                ":old": thread.seq,
                ":active": ThreadStatus.ACTIVE.value,
                ":at": item["last_activity_at"],
                ":author": item["last_author"],
                ":mentioned": item["mentioned_user_ids"],
                ":activity": item["GSI1SK"],
            },
        }
        transact(
            self._table,
            [
                Action("Update", thread_update, StaleWriteError()),
                *_message_writes(thread, message, digest, read_seq, write_id),
                _summary_update(thread, {"messages": 1}, item["last_activity_at"]),
            ],
        )
        return updated

    def mark_read(self, thread: Thread, user: Principal, read_seq: int, up_to: int) -> Thread:
        side = _side_read_attribute(user.kind)
        seen = int(getattr(thread, side))
        actions = _read_writes(thread, user.user_id, read_seq, up_to)
        if up_to <= seen:
            transact(self._table, actions)
            return thread
        side_update = {
            "Key": thread_key(thread),
            "UpdateExpression": f"SET {side} = :new",
            "ConditionExpression": f"{side} = :seen",
            "ExpressionAttributeValues": {":new": up_to, ":seen": seen},
        }
        transact(self._table, [*actions, Action("Update", side_update, StaleWriteError())])
        return thread.model_copy(update={side: up_to})

    def set_status(self, thread: Thread, status: ThreadStatus) -> Thread:
        updated = thread.model_copy(update={"status": status})
        item = thread_item(updated)
        task_keys = task_index_keys(updated)
        status_update = {
            "Key": thread_key(thread),
            "UpdateExpression": "SET #status = :new, GSI1PK = :g1, GSI2PK = :g2"
            + "".join(f", {name} = :{name}" for name in task_keys),
            # The task keys follow the counters read: a task change meanwhile is a retry.
            "ConditionExpression": "#status = :old AND tasks_total = :total AND tasks_done = :done",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":new": status.value,
                ":old": thread.status.value,
                ":g1": item["GSI1PK"],
                ":g2": item["GSI2PK"],
                ":total": thread.tasks_total,
                ":done": thread.tasks_done,
                **{f":{name}": value for name, value in task_keys.items()},
            },
        }
        transact(
            self._table,
            [
                Action("Update", status_update, StaleWriteError()),
                _summary_update(thread, {thread.status.value: -1, status.value: 1}),
            ],
        )
        return updated

    def delete(self, thread: Thread) -> None:
        """In one conditional write the thread item becomes a deleted thread's (every read,
        list, post and push is a 404 from now on) and its counts leave the account's summary.
        The stream then purges the partition (`purge_step`)."""
        replacement = {
            "Item": deleted_thread_item(thread),
            "ConditionExpression": "#kind = :thread AND #status = :status AND seq = :seq",
            "ExpressionAttributeNames": {"#kind": "kind", "#status": "status"},
            "ExpressionAttributeValues": {
                ":thread": ItemKind.THREAD.value,
                ":status": thread.status.value,
                ":seq": thread.seq,
            },
        }
        transact(
            self._table,
            [
                Action("Put", replacement, StaleWriteError()),
                _summary_update(thread, {thread.status.value: -1, "messages": -thread.seq}),
            ],
        )

    def claim_typing(
        self, thread: Thread, user_id: str, now: datetime, interval: timedelta
    ) -> bool:
        at = int(now.timestamp() * 1000)
        try:
            self._table.put_item(
                Item={
                    "PK": keys.thread_partition(thread.firm_id, thread.thread_id),
                    "SK": keys.typing_sort_key(user_id),
                    "kind": "typing",
                    "until_ms": at + int(interval.total_seconds() * 1000),
                    "expires_at": int(now.timestamp()) + 3600,
                },
                ConditionExpression="attribute_not_exists(SK) OR until_ms <= :now",
                ExpressionAttributeValues={":now": at},
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def purge_step(self, firm_id: str, thread_id: str) -> bool:
        """Deletes the next chunk of a deleted thread's partition: every item in it whatever
        its kind (a read state also takes its messages off the reader's account total; an
        inbox reference takes the person's entry of the thread and emailed mark).
        When more remains, the deleted thread's item counts a round, and that change's
        stream record runs the next step; when nothing remains, the item itself goes.
        Idempotent: a step run twice deletes nothing twice. True when the purge is done."""
        key = {"PK": keys.thread_partition(firm_id, thread_id), "SK": keys.THREAD}
        marker = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if not marker or marker.get("kind") != ItemKind.DELETED_THREAD.value:
            return True
        response = self._table.query(
            KeyConditionExpression=Key("PK").eq(key["PK"]),
            ProjectionExpression="PK, SK, seq",
            ConsistentRead=True,
            Limit=self._purge_chunk + 1,
        )
        items = [item for item in response["Items"] if item["SK"] != keys.THREAD]
        chunk, more = items[: self._purge_chunk], len(items) > self._purge_chunk
        more = more or "LastEvaluatedKey" in response
        reader_prefix = keys.reader_sort_key("")
        with self._table.batch_writer() as batch:
            for item in chunk:
                sort_key = str(item["SK"])
                if sort_key.startswith(reader_prefix):
                    self._forget_reader(marker, item, sort_key.removeprefix(reader_prefix))
                    continue
                if sort_key.startswith(keys.INBOX_REFERENCE_PREFIX):
                    person = keys.inbox_partition(firm_id, sort_key.split("#", 1)[1])
                    batch.delete_item(Key={"PK": person, "SK": keys.inbox_sort_key(thread_id)})
                    batch.delete_item(Key={"PK": person, "SK": keys.emailed_sort_key(thread_id)})
                batch.delete_item(Key={"PK": item["PK"], "SK": sort_key})
        if more:
            self._next_purge_round(key)
            return False
        self._table.delete_item(
            Key=key,
            ConditionExpression="#kind = :deleted",
            ExpressionAttributeNames={"#kind": "kind"},
            ExpressionAttributeValues={":deleted": ItemKind.DELETED_THREAD.value},
        )
        return True

    def _forget_reader(self, marker: Item, item: Item, user_id: str) -> None:
        """The read state and its share of the reader's account total, together, once."""
        removal = {
            "Key": {"PK": item["PK"], "SK": item["SK"]},
            "ConditionExpression": "attribute_exists(SK)",
        }
        total = _account_reads_update(
            str(marker["firm_id"]), str(marker["account_id"]), user_id, -int(item["seq"])
        )
        try:
            transact(self._table, [Action("Delete", removal, StaleWriteError()), total])
        except StaleWriteError:
            return  # a step before this one forgot it

    def _next_purge_round(self, key: Mapping[str, str]) -> None:
        self._table.update_item(
            Key=dict(key),
            UpdateExpression="ADD purge_round :one",
            ConditionExpression="#kind = :deleted",
            ExpressionAttributeNames={"#kind": "kind"},
            ExpressionAttributeValues={":one": 1, ":deleted": ItemKind.DELETED_THREAD.value},
        )


def _message_writes(
    thread: Thread, message: Message, digest: str, read_seq: int, write_id: str
) -> list[Action]:
    """The message, its client id (with who wrote it), and the author's read state moved
    onto it."""
    return [
        Action(
            "Put",
            {
                "Item": message_item(thread, message),
                "ConditionExpression": "attribute_not_exists(SK)",
            },
            StaleWriteError(),
        ),
        Action(
            "Put",
            {
                "Item": client_message_item(thread, message, digest, write_id),
                "ConditionExpression": "attribute_not_exists(SK)",
            },
            ClientIdTakenError(),
        ),
        *_read_writes(thread, message.author.user_id, read_seq, message.seq),
    ]


def _account_reads_update(firm_id: str, account_id: str, user_id: str, delta: int) -> Action:
    """The user's read total in the account, moved by `delta`."""
    return Action(
        "Update",
        {
            "Key": {
                "PK": keys.account_reads_partition(firm_id, user_id),
                "SK": keys.account_sort_key(account_id),
            },
            "UpdateExpression": "ADD #read :delta",
            "ExpressionAttributeNames": {"#read": "read"},
            "ExpressionAttributeValues": {":delta": delta},
        },
    )


def _read_writes(thread: Thread, user_id: str, old: int, new: int) -> list[Action]:
    """The user's read state in the thread and their read total in its account."""
    return [
        Action(
            "Put",
            {
                "Item": read_state_item(thread, user_id, new),
                "ConditionExpression": "attribute_not_exists(SK) OR seq = :old",
                "ExpressionAttributeValues": {":old": old},
            },
            StaleWriteError(),
        ),
        _account_reads_update(thread.firm_id, thread.account_id, user_id, new - old),
    ]


def _summary_update(thread: Thread, counts: Mapping[str, int], at: str | None = None) -> Action:
    """The account's chat summary: counts added, last activity moved (when given)."""
    names = {f"#c{index}": name for index, name in enumerate(counts)}
    values: Item = {f":c{index}": count for index, count in enumerate(counts.values())}
    values[":account"] = thread.account_id
    sets = "account_id = :account"
    if at is not None:
        values[":at"] = at
        sets += ", last_activity_at = :at"
    adds = ", ".join(f"#c{index} :c{index}" for index in range(len(counts)))
    return Action(
        "Update",
        {
            "Key": {
                "PK": keys.chat_accounts_partition(thread.firm_id),
                "SK": keys.account_sort_key(thread.account_id),
            },
            "UpdateExpression": f"ADD {adds} SET {sets}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        },
    )
