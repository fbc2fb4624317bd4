"""What the documents service needs from the world, as Protocols: the table's folder and
document items (firmchat.adapters.documents) and the bucket (firmchat.adapters.objects)."""

from collections.abc import Sequence
from typing import Protocol

from firmchat.domain.documents import Document, DocumentStatus, Folder
from firmchat.domain.paging import Page
from firmchat.domain.threads import Thread


class DocumentStore(Protocol):
    def folders(self, firm_id: str, account_id: str) -> list[Folder]: ...

    def folder(self, firm_id: str, account_id: str, folder_id: str) -> Folder | None: ...

    def put_folder(self, folder: Folder, *, new: bool) -> None: ...

    def document(self, firm_id: str, thread_id: str, document_id: str) -> Document | None: ...

    def documents(self, thread: Thread, size: int, cursor: str | None) -> Page[Document]: ...

    def add_pending(self, documents: Sequence[Document]) -> None:
        """Every document item at once, or none."""

    def arrived(self, document: Document) -> bool:
        """pending -> scanning and the thread's count up by one; False if it had already
        arrived (a redelivered event)."""

    def settle(
        self,
        document: Document,
        status: DocumentStatus,
        reason: str | None = None,
        inline_type: str | None = None,
    ) -> Document: ...

    def remove(self, document: Document) -> None:
        """The item, and the thread's count down by one if it had arrived."""


class ObjectStore(Protocol):
    def upload_form(
        self, key: str, content_type: str, size: int, seconds: int
    ) -> tuple[str, dict[str, str]]:
        """A presigned POST for exactly this key, type and size: its url and fields."""

    def download_link(
        self, key: str, filename: str, content_type: str, *, inline: bool, seconds: int
    ) -> str: ...

    def head_bytes(self, key: str, count: int) -> bytes: ...

    def read(self, key: str, limit: int) -> bytes:
        """The whole object, refusing one larger than `limit`."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None:
        """The object and every version of it."""
