"""Notification entries in the chat table (docs/data-model.md, "Notifications"): one item
per (person, thread) under the person's inbox partition, listed newest first through GSI1
(every entry) and GSI2 (sparse: only the unread ones). Recording is idempotent on the
message number: an entry only moves forward, so a redelivered record changes nothing. Each
entry is also named in its thread's partition (`keys.inbox_reference_sort_key`), so a
deleted thread's purge removes the entries with it."""

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import plain, query_page
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.inbox import InboxEntry, NotificationPreferences
from firmchat.domain.paging import Listing, Page

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

KIND_INBOX_ENTRY = "inbox_entry"
KIND_PREFERENCES = "notification_preferences"
KIND_EMAILED = "emailed_mark"


def _failed_condition(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoInbox:
    def __init__(self, table: "Table") -> None:
        self._table = table

    def _key(self, firm_id: str, person_id: str, thread_id: str) -> dict[str, str]:
        return {
            "PK": keys.inbox_partition(firm_id, person_id),
            "SK": keys.inbox_sort_key(thread_id),
        }

    def record(self, entry: InboxEntry) -> InboxEntry | None:
        """Adds one unread activity and moves the entry to the top; None when the entry has
        seen this message already (`entry.unread` is ignored: the count is the store's)."""
        at = keys.activity_sort_key(entry.at.isoformat(), entry.thread_id)
        # First, so no entry is ever without it (written again each time: one put, no read).
        self._table.put_item(
            Item={
                "PK": keys.thread_partition(entry.firm_id, entry.thread_id),
                "SK": keys.inbox_reference_sort_key(entry.person_id),
                "kind": ItemKind.INBOX_REFERENCE.value,
            }
        )
        try:
            answer = self._table.update_item(
                Key=self._key(entry.firm_id, entry.person_id, entry.thread_id),
                UpdateExpression=(
                    "SET kind = :kind, firm_id = :firm, person_id = :person, "
                    "thread_id = :thread, account_id = :account, subject = :subject, "
                    "activity = :activity, actor = :actor, #at = :at, last_seq = :seq, "
                    "GSI1PK = :recent, GSI1SK = :sort, GSI2PK = :unread_index, GSI2SK = :sort "
                    "ADD unread :one"
                ),
                ConditionExpression="attribute_not_exists(PK) OR last_seq < :seq",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={
                    ":kind": KIND_INBOX_ENTRY,
                    ":firm": entry.firm_id,
                    ":person": entry.person_id,
                    ":thread": entry.thread_id,
                    ":account": entry.account_id,
                    ":subject": entry.subject,
                    ":activity": entry.activity.value,
                    ":actor": entry.actor.model_dump(mode="json"),
                    ":at": entry.at.isoformat(),
                    ":seq": entry.last_seq,
                    ":recent": keys.inbox_recent_index(entry.firm_id, entry.person_id),
                    ":unread_index": keys.inbox_unread_index(entry.firm_id, entry.person_id),
                    ":sort": at,
                    ":one": 1,
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if _failed_condition(error):
                return None
            raise
        return InboxEntry.model_validate(plain(answer["Attributes"]))

    def clear(
        self, firm_id: str, person_id: str, thread_id: str, up_to_seq: int | None = None
    ) -> InboxEntry | None:
        """Marks the entry read (when it holds nothing after `up_to_seq`); None when there is
        no such entry or nothing changed."""
        values: dict[str, int] = {":zero": 0}
        condition = "attribute_exists(PK) AND unread > :zero"
        if up_to_seq is not None:
            condition += " AND last_seq <= :up_to"
            values[":up_to"] = up_to_seq
        try:
            answer = self._table.update_item(
                Key=self._key(firm_id, person_id, thread_id),
                UpdateExpression="SET unread = :zero REMOVE GSI2PK, GSI2SK",
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if _failed_condition(error):
                return None
            raise
        return InboxEntry.model_validate(plain(answer["Attributes"]))

    def entries(
        self, firm_id: str, person_id: str, size: int, cursor: str | None, *, unread_only: bool
    ) -> Page[InboxEntry]:
        listing = (
            Listing(firm_id, keys.inbox_unread_index(firm_id, person_id), index="GSI2")
            if unread_only
            else Listing(firm_id, keys.inbox_recent_index(firm_id, person_id), index="GSI1")
        )
        items, last = query_page(self._table, listing, cursor, ScanIndexForward=False, Limit=size)
        return Page(
            items=[InboxEntry.model_validate(item) for item in items],
            cursor=listing.cursor(last),
        )

    def preferences(self, firm_id: str, person_id: str) -> NotificationPreferences:
        """The person's preferences; the defaults when they never chose."""
        item = self._table.get_item(Key=self._preferences_key(firm_id, person_id)).get("Item")
        chosen = plain(item).get("channels", {}) if item else {}
        return NotificationPreferences.model_validate(chosen)

    def save_preferences(
        self, firm_id: str, person_id: str, preferences: NotificationPreferences
    ) -> None:
        self._table.put_item(
            Item={
                **self._preferences_key(firm_id, person_id),
                "kind": KIND_PREFERENCES,
                "channels": preferences.model_dump(mode="json"),
            }
        )

    def _preferences_key(self, firm_id: str, person_id: str) -> dict[str, str]:
        return {
            "PK": keys.inbox_partition(firm_id, person_id),
            "SK": keys.NOTIFICATION_PREFERENCES,
        }

    def mark_emailed(
        self, firm_id: str, person_id: str, thread_id: str, seq: int, read_seq: int
    ) -> bool:
        """Marks the person as emailed of the thread up to `seq`; False when they were
        emailed of a message they have not read yet (debounced), or of this one."""
        try:
            self._table.update_item(
                Key=self._emailed_key(firm_id, person_id, thread_id),
                UpdateExpression="SET kind = :kind, emailed_seq = :seq",
                ConditionExpression=(
                    "attribute_not_exists(PK) OR (emailed_seq <= :read AND emailed_seq < :seq)"
                ),
                ExpressionAttributeValues={":kind": KIND_EMAILED, ":seq": seq, ":read": read_seq},
            )
        except ClientError as error:
            if _failed_condition(error):
                return False
            raise
        return True

    def unmark_emailed(self, firm_id: str, person_id: str, thread_id: str, seq: int) -> None:
        """Undoes `mark_emailed` of `seq` (its email failed), so the retry sends it."""
        try:
            self._table.delete_item(
                Key=self._emailed_key(firm_id, person_id, thread_id),
                ConditionExpression="emailed_seq = :seq",
                ExpressionAttributeValues={":seq": seq},
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise

    def _emailed_key(self, firm_id: str, person_id: str, thread_id: str) -> dict[str, str]:
        return {
            "PK": keys.inbox_partition(firm_id, person_id),
            "SK": keys.emailed_sort_key(thread_id),
        }
