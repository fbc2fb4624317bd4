"""One changed item of the chat table, from the images a stream record carries to domain
models, through the codecs the stores read with."""

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from firmchat.adapters.items.people import firm_from_item
from firmchat.adapters.items.tasks import tasks_from_item
from firmchat.adapters.items.threads import (
    deleted_thread_from_item,
    message_from_item,
    read_state_from_item,
    thread_from_item,
)
from firmchat.domain import keys
from firmchat.domain.changes import Change, ChangeEvent, ItemKind
from firmchat.domain.documents import Document, Folder
from firmchat.domain.people import ClientAccount, Contact, FirmUser, Invitation, Login

MODELS: Mapping[ItemKind, Callable[[Mapping[str, Any]], BaseModel]] = {
    ItemKind.FIRM: firm_from_item,
    ItemKind.FIRM_USER: FirmUser.model_validate,
    ItemKind.ACCOUNT: ClientAccount.model_validate,
    ItemKind.CONTACT: Contact.model_validate,
    ItemKind.LOGIN: Login.model_validate,
    ItemKind.INVITATION: Invitation.model_validate,
    ItemKind.RESET: Invitation.model_validate,
    ItemKind.THREAD: thread_from_item,
    ItemKind.DELETED_THREAD: deleted_thread_from_item,
    ItemKind.MESSAGE: message_from_item,
    ItemKind.FOLDER: Folder.model_validate,
    ItemKind.DOCUMENT: Document.model_validate,
    ItemKind.READ_STATE: read_state_from_item,
    ItemKind.TASKS: tasks_from_item,
}


def decode(event: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> Change:
    """`old` and `new` are the record's images as Python values (absent or empty when the
    item did not exist)."""
    image = new or old or {}
    named = str(image.get("kind", ""))
    kind = ItemKind(named) if named in ItemKind else None
    model = MODELS.get(kind) if kind is not None else None
    return Change(
        event=ChangeEvent(event),
        kind=kind,
        firm_id=keys.firm_of_partition(str(image.get("PK", ""))),
        old=model(old) if model and old else None,
        new=model(new) if model and new else None,
    )
