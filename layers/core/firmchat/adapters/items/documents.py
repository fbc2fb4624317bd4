"""Folders and documents as items of the chat table (docs/data-model.md, "Documents"):
keys and items; the models read back are the domain's own."""

from firmchat.adapters.dynamo import Item
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.documents import Document, Folder


def folder_item(folder: Folder) -> Item:
    return {
        "PK": keys.account_partition(folder.firm_id, folder.account_id),
        "SK": keys.folder_sort_key(folder.folder_id),
        "kind": ItemKind.FOLDER.value,
        **folder.model_dump(mode="json"),
    }


def document_item(document: Document) -> Item:
    return {
        **document_key(document),
        "kind": ItemKind.DOCUMENT.value,
        "key": document.key,
        **document.model_dump(mode="json"),
    }


def document_key(document: Document) -> dict[str, str]:
    return {
        "PK": keys.thread_partition(document.firm_id, document.thread_id),
        "SK": keys.document_sort_key(document.document_id),
    }
