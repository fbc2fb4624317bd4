"""Documents (spec DC-1 to DC-6): the client account's top-level folders, the documents of a
thread, and the rules of their names, keys, sizes and types.

A document's S3 key is ours alone (`object_key`): firm, account, thread and a random id. What
a person named the file (or the path inside an uploaded folder or zip) is only ever a
sanitized display name, never part of a key.
"""

import re
import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from firmchat.domain.principal import PrincipalKind
from firmchat.domain.threads import Author

MAX_FILE_BYTES: Final = 100 * 1024 * 1024
MAX_FILES_PER_REQUEST: Final = 50
UPLOAD_FORM_SECONDS: Final = 300
DOWNLOAD_LINK_SECONDS: Final = 60
MAX_NAME_LENGTH: Final = 255

# The one type a download carries unless the document may be shown inline.
DOWNLOAD_TYPE: Final = "application/octet-stream"
ZIP_TYPES: Final = frozenset({"application/zip", "application/x-zip-compressed"})

# Shown inline only when the bytes say the same as the declared type (never SVG or HTML).
_SIGNATURES: Final = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
SNIFF_BYTES: Final = 16

ContentType = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=127,
        pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$",
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024)]


class FolderAccess(StrEnum):
    PRIVATE = "private"  # the firm only
    CLIENT_CAN_VIEW = "client_can_view"
    CLIENT_CAN_VIEW_AND_EDIT = "client_can_view_and_edit"


class Folder(BaseModel):
    model_config = ConfigDict(frozen=True)

    firm_id: str
    account_id: str
    folder_id: str
    name: str
    access: FolderAccess
    created_at: datetime


class FolderView(BaseModel):
    folder_id: str
    name: str
    access: FolderAccess

    @classmethod
    def of(cls, folder: Folder) -> "FolderView":
        return cls(folder_id=folder.folder_id, name=folder.name, access=folder.access)


class NewFolder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    access: FolderAccess


class FolderChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
        | None
    ) = None
    access: FolderAccess | None = None


class DocumentStatus(StrEnum):
    PENDING = "pending"  # a form was given out; nothing has arrived
    SCANNING = "scanning"  # the object arrived; the malware scan has not answered
    READY = "ready"  # scanned clean: may be downloaded
    BLOCKED = "blocked"  # a threat, a refused zip, or an object that broke its form


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)

    firm_id: str
    account_id: str
    thread_id: str
    document_id: str
    folder_id: str
    name: str
    content_type: str
    size: int
    status: DocumentStatus = DocumentStatus.PENDING
    reason: str | None = None
    inline_type: str | None = None
    unpacked_from: str | None = None
    uploaded_by: Author
    created_at: datetime

    @property
    def key(self) -> str:
        return object_key(self.firm_id, self.account_id, self.thread_id, self.document_id)

    @property
    def is_zip(self) -> bool:
        return self.content_type in ZIP_TYPES and self.unpacked_from is None


class Uploader(BaseModel):
    """Who uploaded a document, as firm and client alike are shown it: the side and the
    name (no user id: clients see no firm user's id)."""

    kind: PrincipalKind
    name: str


class DocumentView(BaseModel):
    """A row of the thread's documents list (DC-4), the same for the firm and the client."""

    document_id: str
    folder_id: str
    name: str
    content_type: str
    size: int
    status: DocumentStatus
    reason: str | None
    viewable: bool = Field(description="may be shown inline (a PDF or raster image)")
    unpacked_from: str | None
    uploaded_by: Uploader
    created_at: datetime

    @classmethod
    def of(cls, document: Document) -> "DocumentView":
        return cls(
            viewable=document.inline_type is not None,
            uploaded_by=Uploader(kind=document.uploaded_by.kind, name=document.uploaded_by.name),
            **document.model_dump(
                include={
                    "document_id",
                    "folder_id",
                    "name",
                    "content_type",
                    "size",
                    "status",
                    "reason",
                    "unpacked_from",
                    "created_at",
                }
            ),
        )


class FileToUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="the file's name, or its path inside an uploaded folder")
    content_type: ContentType
    size: int = Field(ge=1)


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    folder_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    files: list[FileToUpload] = Field(min_length=1, max_length=MAX_FILES_PER_REQUEST)


class UploadForm(BaseModel):
    """One presigned POST: the browser posts `fields` and then the file to `url`."""

    document_id: str
    name: str
    url: str
    fields: dict[str, str]
    expires_at: datetime


class DownloadLink(BaseModel):
    url: str
    expires_at: datetime
    inline: bool


def object_key(firm_id: str, account_id: str, thread_id: str, document_id: str) -> str:
    return f"firms/{firm_id}/accounts/{account_id}/threads/{thread_id}/documents/{document_id}"


_KEY = re.compile(
    r"^firms/(?P<firm>[^/]+)/accounts/(?P<account>[^/]+)/threads/(?P<thread>[^/]+)"
    r"/documents/(?P<document>[A-Za-z0-9_-]+)$"
)


class ObjectKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    firm_id: str
    account_id: str
    thread_id: str
    document_id: str

    @classmethod
    def parse(cls, key: str) -> "ObjectKey | None":
        """The parts of one of our keys; None for any other key."""
        match = _KEY.match(key)
        if match is None:
            return None
        return cls(
            firm_id=match["firm"],
            account_id=match["account"],
            thread_id=match["thread"],
            document_id=match["document"],
        )


_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def display_name(path: str) -> str:
    """A name to show for a file, a folder's relative path or a zip entry: its parts without
    control or reserved characters, `.` and `..` dropped, joined with `/`; never a key."""
    text = unicodedata.normalize("NFC", path).replace("\\", "/")
    parts = [_UNSAFE_CHARACTERS.sub("", part).strip() for part in text.split("/")]
    kept = [part for part in parts if part and part not in (".", "..")]
    name = "/".join(kept)[-MAX_NAME_LENGTH:].lstrip("/")
    return name or "unnamed"


def inline_type(declared: str, head: bytes) -> str | None:
    """The type to show the document inline as, when it is a PDF or raster image whose
    first bytes match what was declared; None means download only."""
    signatures = _SIGNATURES.get(declared)
    if signatures is None or not head.startswith(signatures):
        return None
    if declared == "image/webp" and head[8:12] != b"WEBP":
        return None
    return declared


# ---------------------------------------------------------------- the uploads queue
# Two kinds of message share it: S3's "object created" notification and GuardDuty's scan
# result, as EventBridge delivers it. The local cloud's scanner sends the same shape.

SCAN_RESULT = "GuardDuty Malware Protection Object Scan Result"
CLEAN = "NO_THREATS_FOUND"


class Arrival(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    size: int


class Verdict(BaseModel):
    """A scan's answer: `blocked` is None for a clean object, else the reason to show."""

    model_config = ConfigDict(frozen=True)

    key: str
    blocked: str | None


def queue_message(body: dict[str, object]) -> list[Arrival | Verdict]:
    """What one message of the uploads queue says (nothing, for S3's test event)."""
    if body.get("detail-type") == SCAN_RESULT:
        detail: dict[str, Any] = dict(body["detail"])  # type: ignore[call-overload]
        result = detail.get("scanResultDetails", {})
        status = str(result.get("scanResultStatus", "FAILED"))
        threats = ", ".join(str(threat.get("name")) for threat in result.get("threats") or [])
        blocked = (
            None
            if status == CLEAN
            else f"the scan found {threats or 'a threat'}"
            if status == "THREATS_FOUND"
            else f"the scan could not check it ({status.lower().replace('_', ' ')})"
        )
        return [Verdict(key=str(detail["s3ObjectDetails"]["objectKey"]), blocked=blocked)]
    records: list[dict[str, Any]] = list(body.get("Records") or [])  # type: ignore[call-overload]
    return [
        Arrival(
            key=unquote_plus(record["s3"]["object"]["key"]), size=record["s3"]["object"]["size"]
        )
        for record in records
        if str(record.get("eventName", "")).startswith("ObjectCreated")
    ]
