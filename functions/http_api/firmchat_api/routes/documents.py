"""Folders and documents (spec DC-1 to DC-6): the account's top-level folders, upload forms
for a thread, its documents list, download links and deletes."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from firmchat.domain.documents import (
    DocumentView,
    DownloadLink,
    FolderChange,
    FolderView,
    NewFolder,
    UploadForm,
    UploadRequest,
)
from firmchat.domain.paging import page_size
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.routes.threads import Cursor, Size
from firmchat_api.wiring import documents

router = APIRouter(tags=["documents"])


class FolderList(BaseModel):
    folders: list[FolderView]


class UploadForms(BaseModel):
    uploads: list[UploadForm]


class DocumentPage(BaseModel):
    documents: list[DocumentView]
    cursor: str | None


@router.get("/accounts/{account_id}/folders")
def list_folders(principal: CurrentPrincipal, account_id: ResourceId) -> FolderList:
    """DC-2: the account's top-level folders; a client sees those not kept private."""
    return FolderList(folders=documents.folders(principal, account_id))


@router.post("/accounts/{account_id}/folders", status_code=201)
def create_folder(
    principal: CurrentPrincipal, account_id: ResourceId, new: NewFolder
) -> FolderView:
    return documents.create_folder(principal, account_id, new)


@router.patch("/accounts/{account_id}/folders/{folder_id}")
def change_folder(
    principal: CurrentPrincipal, account_id: ResourceId, folder_id: ResourceId, change: FolderChange
) -> FolderView:
    return documents.change_folder(principal, account_id, folder_id, change)


@router.post("/threads/{thread_id}/uploads", status_code=201)
def request_uploads(
    principal: CurrentPrincipal, thread_id: ResourceId, request: UploadRequest
) -> UploadForms:
    """DC-1, DC-3: one presigned POST a file (a folder's files keep their relative paths as
    names; a zip is unpacked once scanned clean)."""
    return UploadForms(uploads=documents.request_uploads(principal, thread_id, request))


@router.get("/threads/{thread_id}/documents")
def thread_documents(
    principal: CurrentPrincipal, thread_id: ResourceId, size: Size = None, cursor: Cursor = None
) -> DocumentPage:
    """DC-4: the thread's documents with their scan status (scanning, ready, blocked)."""
    page = documents.documents(principal, thread_id, page_size(size), cursor)
    return DocumentPage(documents=page.items, cursor=page.cursor)


@router.get("/threads/{thread_id}/documents/{document_id}/link")
def document_link(
    principal: CurrentPrincipal,
    thread_id: ResourceId,
    document_id: ResourceId,
    inline: Annotated[bool, Query(description="view in the browser (PDFs, images)")] = False,
) -> DownloadLink:
    """DC-4: a short-lived link to a clean document, as a download unless viewed inline."""
    return documents.download(principal, thread_id, document_id, inline=inline)


@router.delete("/threads/{thread_id}/documents/{document_id}", status_code=204)
def delete_document(
    principal: CurrentPrincipal, thread_id: ResourceId, document_id: ResourceId
) -> Response:
    documents.delete(principal, thread_id, document_id)
    return Response(status_code=204)
