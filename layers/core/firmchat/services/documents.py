"""Documents (spec DC-1 to DC-6): the account's folders, uploads into a thread through
presigned POSTs, the object's arrival and scan result (from the `uploads` function), the
thread's documents list, downloads and deletes. Every operation asks the access policy.

The life of a document: a form is given out (pending) -> the object arrives (scanning; the
thread's paperclip counts it) -> the malware scan answers (ready, or blocked with the
reason). A clean zip is unpacked into new documents of the same thread and folder, which
go through the same life; a refused zip is blocked with what was wrong.
"""

import uuid
from datetime import timedelta
from typing import Literal

from firmchat.domain import policy
from firmchat.domain.documents import (
    DOWNLOAD_LINK_SECONDS,
    DOWNLOAD_TYPE,
    MAX_FILE_BYTES,
    SNIFF_BYTES,
    UPLOAD_FORM_SECONDS,
    Document,
    DocumentStatus,
    DocumentView,
    DownloadLink,
    Folder,
    FolderAccess,
    FolderChange,
    FolderView,
    NewFolder,
    ObjectKey,
    UploadForm,
    UploadRequest,
    display_name,
    inline_type,
)
from firmchat.domain.events import DocumentChanged, DocumentDeleted
from firmchat.domain.paging import Page
from firmchat.domain.policy import AccountFacts, Operation
from firmchat.domain.principal import Principal
from firmchat.domain.threads import Author, Thread
from firmchat.domain.zips import ZipRefusedError, unpack
from firmchat.errors import ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError
from firmchat.ports.clock import Clock
from firmchat.ports.documents import DocumentStore, ObjectStore
from firmchat.ports.threads import Directory, Events, ThreadStore
from firmchat.services.threads import visible_thread

DOCUMENT_NOT_FOUND = "no such document in this thread"
FOLDER_NOT_FOUND = "no such folder in this client's documents"


def _new_id() -> str:
    return uuid.uuid4().hex


class Documents:
    def __init__(
        self,
        store: DocumentStore,
        threads: ThreadStore,
        directory: Directory,
        objects: ObjectStore,
        events: Events,
        *,
        clock: Clock,
    ) -> None:
        self._store = store
        self._threads = threads
        self._directory = directory
        self._objects = objects
        self._events = events
        self._clock = clock

    # ------------------------------------------------------------ folders (DC-2, DC-3)
    def _account(self, principal: Principal, account_id: str, operation: Operation) -> None:
        policy.require(
            principal, operation, AccountFacts(firm_id=principal.firm_id, account_id=account_id)
        )
        if not self._directory.account_exists(principal.firm_id, account_id):
            raise policy.account_not_found()

    def folders(self, principal: Principal, account_id: str) -> list[FolderView]:
        self._account(principal, account_id, Operation.SEE_ACCOUNT)
        return [
            FolderView.of(folder)
            for folder in self._store.folders(principal.firm_id, account_id)
            if policy.folder_visible(principal, folder.access)
        ]

    def create_folder(self, principal: Principal, account_id: str, new: NewFolder) -> FolderView:
        self._account(principal, account_id, Operation.MANAGE_FOLDERS)
        self._name_free(principal.firm_id, account_id, new.name, None)
        folder = Folder(
            firm_id=principal.firm_id,
            account_id=account_id,
            folder_id=_new_id(),
            name=new.name,
            access=new.access,
            created_at=self._clock.now(),
        )
        self._store.put_folder(folder, new=True)
        return FolderView.of(folder)

    def change_folder(
        self, principal: Principal, account_id: str, folder_id: str, change: FolderChange
    ) -> FolderView:
        self._account(principal, account_id, Operation.MANAGE_FOLDERS)
        folder = self._store.folder(principal.firm_id, account_id, folder_id)
        if folder is None:
            raise NotFoundError(FOLDER_NOT_FOUND)
        if change.name is not None:
            self._name_free(principal.firm_id, account_id, change.name, folder_id)
        changed = folder.model_copy(
            update={
                "name": change.name or folder.name,
                "access": change.access or folder.access,
            }
        )
        self._store.put_folder(changed, new=False)
        return FolderView.of(changed)

    def _name_free(self, firm_id: str, account_id: str, name: str, folder_id: str | None) -> None:
        for folder in self._store.folders(firm_id, account_id):
            if folder.name.casefold() == name.casefold() and folder.folder_id != folder_id:
                raise ConflictError(f"this client already has a folder named {folder.name}")

    # ------------------------------------------------------------ uploads (DC-1, DC-3)
    def request_uploads(
        self, principal: Principal, thread_id: str, request: UploadRequest
    ) -> list[UploadForm]:
        """One presigned POST a file, each for its own key, type and size, valid briefly;
        the document items are written (pending) all at once, before any form is given."""
        thread = visible_thread(self._threads, principal, thread_id, Operation.ATTACH_DOCUMENT)
        folder = self._upload_folder(thread, request.folder_id)
        too_large = [file.name for file in request.files if file.size > MAX_FILE_BYTES]
        if too_large:
            raise PayloadTooLargeError(
                f"files over {MAX_FILE_BYTES} bytes cannot be uploaded: {', '.join(too_large)}"
            )
        now, author = self._clock.now(), Author.of(principal)
        documents = [
            Document(
                firm_id=thread.firm_id,
                account_id=thread.account_id,
                thread_id=thread.thread_id,
                document_id=_new_id(),
                folder_id=folder.folder_id,
                name=display_name(file.name),
                content_type=file.content_type,
                size=file.size,
                uploaded_by=author,
                created_at=now,
            )
            for file in request.files
        ]
        self._store.add_pending(documents)
        expires_at = now + timedelta(seconds=UPLOAD_FORM_SECONDS)
        forms = []
        for document in documents:
            url, fields = self._objects.upload_form(
                document.key, document.content_type, document.size, UPLOAD_FORM_SECONDS
            )
            forms.append(
                UploadForm(
                    document_id=document.document_id,
                    name=document.name,
                    url=url,
                    fields=fields,
                    expires_at=expires_at,
                )
            )
        return forms

    def _upload_folder(self, thread: Thread, folder_id: str) -> Folder:
        folder = self._store.folder(thread.firm_id, thread.account_id, folder_id)
        if folder is None:
            raise NotFoundError(
                f"{FOLDER_NOT_FOUND}; a folder the client can view must exist for uploads "
                "(the firm creates it under the client's documents)"
            )
        if folder.access is FolderAccess.PRIVATE:
            raise ForbiddenError(
                f"{folder.name} is private to the firm; uploads into a thread go to a folder "
                "the client can view"
            )
        return folder

    # ------------------------------------------------------------ the uploads function
    def _of_key(self, key: str) -> Document | None:
        parts = ObjectKey.parse(key)
        if parts is None:
            return None
        return self._store.document(parts.firm_id, parts.thread_id, parts.document_id)

    def arrived(self, key: str, size: int) -> Document | None:
        """An object landed (S3 -> SQS): the document is scanning and counted on the thread.
        Objects under no document of ours, and repeated events, change nothing."""
        document = self._of_key(key)
        if document is None or document.status is not DocumentStatus.PENDING:
            return None
        if size != document.size:
            self._objects.delete(key)
            return self._settled(
                document, DocumentStatus.BLOCKED, "the file is not the size its form allowed"
            )
        return self._now_arrived(document)

    def _now_arrived(self, document: Document) -> Document | None:
        if not self._store.arrived(document):
            return None
        scanning = document.model_copy(update={"status": DocumentStatus.SCANNING})
        self._announce(scanning, "document_added")
        # Hook for the inbox (DC-5): the document item's change to `scanning` is on the
        # table's stream, where the notifications worker can pick it up.
        return scanning

    def scanned(self, key: str, blocked: str | None) -> Document | None:
        """The malware scan answered: blocked with the threat's name, or ready (a zip is then
        unpacked, or blocked with the reason it was refused)."""
        document = self._of_key(key)
        if document is not None and document.status is DocumentStatus.PENDING:
            # The queue does not keep order: a verdict may come before the arrival.
            document = self._now_arrived(document)
        if document is None or document.status is not DocumentStatus.SCANNING:
            return None
        if blocked is not None:
            return self._settled(document, DocumentStatus.BLOCKED, blocked)
        if document.is_zip:
            try:
                self._unpack(document)
            except ZipRefusedError as refused:
                return self._settled(document, DocumentStatus.BLOCKED, refused.message)
            return self._settled(document, DocumentStatus.READY)
        shown_as = inline_type(document.content_type, self._objects.head_bytes(key, SNIFF_BYTES))
        return self._settled(document, DocumentStatus.READY, inline=shown_as)

    def _unpack(self, archive: Document) -> None:
        entries = unpack(self._objects.read(archive.key, MAX_FILE_BYTES))
        children = [
            archive.model_copy(
                update={
                    "document_id": _new_id(),
                    "name": entry.name,
                    "content_type": DOWNLOAD_TYPE,
                    "size": len(entry.data),
                    "status": DocumentStatus.PENDING,
                    "unpacked_from": archive.document_id,
                    "created_at": self._clock.now(),
                }
            )
            for entry in entries
        ]
        self._store.add_pending(children)
        for child, entry in zip(children, entries, strict=True):
            self._objects.put(child.key, entry.data, child.content_type)

    def _settled(
        self,
        document: Document,
        status: DocumentStatus,
        reason: str | None = None,
        inline: str | None = None,
    ) -> Document:
        settled = self._store.settle(document, status, reason, inline)
        self._announce(settled, "document_changed")
        return settled

    def _announce(
        self, document: Document, kind: Literal["document_added", "document_changed"]
    ) -> None:
        thread = self._threads.get(document.firm_id, document.thread_id)
        if thread is not None:
            self._events.publish(
                DocumentChanged(type=kind, thread=thread, document=DocumentView.of(document))
            )

    # ------------------------------------------------------------ the list (DC-4)
    def _visible(self, principal: Principal, thread: Thread) -> frozenset[str]:
        """The folders of the thread's account whose documents the principal may see."""
        return frozenset(
            folder.folder_id
            for folder in self._store.folders(thread.firm_id, thread.account_id)
            if policy.folder_visible(principal, folder.access)
        )

    def documents(
        self, principal: Principal, thread_id: str, size: int, cursor: str | None
    ) -> Page[DocumentView]:
        thread = visible_thread(self._threads, principal, thread_id, Operation.SEE_DOCUMENT)
        folders = self._visible(principal, thread)
        page = self._store.documents(thread, size, cursor)
        return Page(
            items=[DocumentView.of(doc) for doc in page.items if doc.folder_id in folders],
            cursor=page.cursor,
        )

    def _document(
        self, principal: Principal, thread_id: str, document_id: str, operation: Operation
    ) -> Document:
        thread = visible_thread(self._threads, principal, thread_id, operation)
        document = self._store.document(principal.firm_id, thread.thread_id, document_id)
        if document is None or document.folder_id not in self._visible(principal, thread):
            raise NotFoundError(DOCUMENT_NOT_FOUND)
        return document

    def download(
        self, principal: Principal, thread_id: str, document_id: str, *, inline: bool
    ) -> DownloadLink:
        """A short-lived link, only to a clean document: as an attachment of a fixed type, or
        inline for a PDF or raster image whose bytes matched its declared type."""
        document = self._document(principal, thread_id, document_id, Operation.SEE_DOCUMENT)
        if document.status is DocumentStatus.BLOCKED:
            raise ConflictError(f"{document.name} is blocked: {document.reason}")
        if document.status is not DocumentStatus.READY:
            raise ConflictError(f"{document.name} is still being scanned; try again shortly")
        if inline and document.inline_type is None:
            raise ConflictError(
                f"{document.name} cannot be viewed in the browser (only PDFs and images "
                "whose content matches their type can); download it instead"
            )
        url = self._objects.download_link(
            document.key,
            document.name.rsplit("/", 1)[-1],
            document.inline_type if inline and document.inline_type else DOWNLOAD_TYPE,
            inline=inline,
            seconds=DOWNLOAD_LINK_SECONDS,
        )
        expires_at = self._clock.now() + timedelta(seconds=DOWNLOAD_LINK_SECONDS)
        return DownloadLink(url=url, expires_at=expires_at, inline=inline)

    def delete(self, principal: Principal, thread_id: str, document_id: str) -> None:
        """DC-4: off the thread and its list, the object and every version of it gone. A
        client removes only what they uploaded."""
        document = self._document(principal, thread_id, document_id, Operation.ATTACH_DOCUMENT)
        if principal.is_client_user and document.uploaded_by.user_id != principal.user_id:
            raise ForbiddenError("a client may delete only the documents they uploaded")
        self._store.remove(document)
        self._objects.delete(document.key)
        thread = self._threads.get(document.firm_id, document.thread_id)
        if thread is not None:
            self._events.publish(DocumentDeleted(thread=thread, document_id=document.document_id))
