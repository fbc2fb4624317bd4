"""The kinds of item in the chat table, and one changed item as the table's stream tells it.

Every product item carries its kind in a `kind` attribute; the stream worker dispatches on
it. A `Change` holds the item before and after as domain models, decoded by the same codecs
the stores read with (`firmchat.adapters.items.changes`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel


class ItemKind(StrEnum):
    FIRM = "firm"
    FIRM_USER = "firm_user"
    ASSIGNMENT = "assignment"
    ACCOUNT = "account"
    CONTACT = "contact"
    LOGIN = "login"
    INVITATION = "invitation"
    RESET = "password_reset"
    THREAD = "thread"
    DELETED_THREAD = "deleted_thread"
    MESSAGE = "message"
    CLIENT_MESSAGE_ID = "client_message_id"
    READ_STATE = "read_state"
    TASKS = "tasks"
    INBOX_REFERENCE = "inbox_reference"
    FOLDER = "folder"
    DOCUMENT = "document"


class ChangeEvent(StrEnum):
    INSERT = "INSERT"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


@dataclass(frozen=True)
class Change:
    """`kind` is None for an item without a known kind; `firm_id` is the firm its key names
    (None for a key outside every firm); `old` and `new` are None when the item did not
    exist then, or when its kind has no model (assignments, client message ids)."""

    event: ChangeEvent
    kind: ItemKind | None
    firm_id: str | None
    old: BaseModel | None
    new: BaseModel | None


type Handler = Callable[[Change], None]
