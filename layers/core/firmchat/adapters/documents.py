"""Folders and documents in the chat table (docs/data-model.md, "Documents").

A folder is an item of its account's collection (`FOLDER#<id>`), a document one of its
thread's (`DOC#<id>`): the thread's documents list is one Query of its partition, a document
is one GetItem by its thread and id, and a thread's purge removes its documents too.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import Action, plain, query_page, transact
from firmchat.adapters.items.documents import document_item, document_key, folder_item
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.documents import Document, DocumentStatus, Folder
from firmchat.domain.paging import Listing, Page
from firmchat.domain.threads import Thread
from firmchat.errors import ConflictError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

# Document items a transaction may write at once (TransactWriteItems takes 100 actions).
_MAX_PENDING = 100


def _thread_count(document: Document, delta: int) -> Action:
    return Action(
        "Update",
        {
            "Key": {
                "PK": keys.thread_partition(document.firm_id, document.thread_id),
                "SK": keys.THREAD,
            },
            "UpdateExpression": "ADD documents :delta",
            "ConditionExpression": "#kind = :thread",
            "ExpressionAttributeNames": {"#kind": "kind"},
            "ExpressionAttributeValues": {":delta": delta, ":thread": ItemKind.THREAD.value},
        },
        _AlreadyArrivedError(),  # the thread is deleted: its purge takes the document too
    )


class DynamoDocumentStore:
    def __init__(self, table: "Table") -> None:
        self._table = table

    # ------------------------------------------------------------ folders
    def folders(self, firm_id: str, account_id: str) -> list[Folder]:
        listing = Listing(firm_id, keys.account_partition(firm_id, account_id))
        condition = Key("PK").eq(listing.partition) & Key("SK").begins_with(keys.FOLDER_PREFIX)
        # Folders are top-level only and few; one page holds them.
        items, _ = query_page(self._table, listing, None, condition)
        return sorted((Folder.model_validate(item) for item in items), key=lambda f: f.name)

    def folder(self, firm_id: str, account_id: str, folder_id: str) -> Folder | None:
        item = self._table.get_item(
            Key={
                "PK": keys.account_partition(firm_id, account_id),
                "SK": keys.folder_sort_key(folder_id),
            }
        ).get("Item")
        return Folder.model_validate(plain(item)) if item else None

    def put_folder(self, folder: Folder, *, new: bool) -> None:
        condition = "attribute_not_exists(PK)" if new else "attribute_exists(PK)"
        self._table.put_item(Item=folder_item(folder), ConditionExpression=condition)

    # ------------------------------------------------------------ documents
    def document(self, firm_id: str, thread_id: str, document_id: str) -> Document | None:
        item = self._table.get_item(
            Key={
                "PK": keys.thread_partition(firm_id, thread_id),
                "SK": keys.document_sort_key(document_id),
            },
            ConsistentRead=True,
        ).get("Item")
        return Document.model_validate(plain(item)) if item else None

    def documents(self, thread: Thread, size: int, cursor: str | None) -> Page[Document]:
        listing = Listing(thread.firm_id, keys.thread_partition(thread.firm_id, thread.thread_id))
        condition = Key("PK").eq(listing.partition) & Key("SK").begins_with(keys.DOCUMENT_PREFIX)
        items, last = query_page(self._table, listing, cursor, condition, Limit=size)
        return Page(
            items=[Document.model_validate(item) for item in items], cursor=listing.cursor(last)
        )

    def add_pending(self, documents: Sequence[Document]) -> None:
        if len(documents) > _MAX_PENDING:
            raise ValueError(f"at most {_MAX_PENDING} documents are written at once")
        transact(
            self._table,
            [
                Action(
                    "Put",
                    {
                        "Item": document_item(document),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    },
                )
                for document in documents
            ],
        )

    def arrived(self, document: Document) -> bool:
        advance = Action(
            "Update",
            {
                "Key": document_key(document),
                "UpdateExpression": "SET #status = :scanning",
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {
                    ":scanning": DocumentStatus.SCANNING.value,
                    ":pending": DocumentStatus.PENDING.value,
                },
            },
            _AlreadyArrivedError(),
        )
        try:
            transact(self._table, [advance, _thread_count(document, 1)])
        except _AlreadyArrivedError:
            return False
        return True

    def settle(
        self,
        document: Document,
        status: DocumentStatus,
        reason: str | None = None,
        inline_type: str | None = None,
    ) -> Document:
        values: dict[str, Any] = {
            ":status": status.value,
            ":reason": reason,
            ":inline": inline_type,
        }
        self._table.update_item(
            Key=document_key(document),
            UpdateExpression="SET #status = :status, #reason = :reason, inline_type = :inline",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames={"#status": "status", "#reason": "reason"},
            ExpressionAttributeValues=values,
        )
        return document.model_copy(
            update={"status": status, "reason": reason, "inline_type": inline_type}
        )

    def remove(self, document: Document) -> None:
        removal = Action("Delete", {"Key": document_key(document)})
        counted = document.status is not DocumentStatus.PENDING
        try:
            transact(self._table, [removal, _thread_count(document, -1)] if counted else [removal])
        except (ClientError, _AlreadyArrivedError) as error:
            raise ConflictError("the document changed meanwhile; try again") from error


class _AlreadyArrivedError(ConflictError):
    def __init__(self) -> None:
        super().__init__("the document had already arrived")
