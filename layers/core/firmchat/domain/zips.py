"""Safe unpacking of an uploaded zip (spec DC-2), with the standard library's zipfile and
explicit limits. A zip is unpacked only after it was scanned clean, and all or nothing: the
whole archive is checked and every entry read within its limits before any entry is kept.

Refused: too many entries, declared or actual sizes over the limits, a compression ratio
that marks a bomb, absolute or parent paths, symlinks, encrypted entries, duplicate names,
and anything zipfile cannot read. Inner zips are kept as files, never opened. Entry names
become display names only (`display_name`), never S3 keys.
"""

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import Final

from firmchat.domain.documents import MAX_FILE_BYTES, display_name
from firmchat.errors import InvalidInputError

MAX_ENTRIES: Final = 100
MAX_ENTRY_BYTES: Final = MAX_FILE_BYTES
MAX_TOTAL_BYTES: Final = 2 * MAX_FILE_BYTES
MAX_RATIO: Final = 100
_CHUNK: Final = 64 * 1024
_ENCRYPTED_FLAG: Final = 0x1


class ZipRefusedError(InvalidInputError):
    """The zip is not unpacked; the message says why."""

    code = "zip_refused"


@dataclass(frozen=True)
class ZipEntry:
    name: str  # a display name, never a key
    data: bytes


def _refuse(reason: str) -> ZipRefusedError:
    return ZipRefusedError(f"the zip was not unpacked: {reason}")


def _unsafe_path(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def _check(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise _refuse(f"{display_name(info.filename)} is encrypted")
    if stat.S_ISLNK(mode):
        raise _refuse(f"{display_name(info.filename)} is a symbolic link")
    if _unsafe_path(info.filename):
        raise _refuse(f"{display_name(info.filename)} has an absolute or parent path")
    if info.file_size > MAX_ENTRY_BYTES:
        raise _refuse(f"{display_name(info.filename)} is larger than {MAX_ENTRY_BYTES} bytes")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(
            f"{display_name(info.filename)} expands more than {MAX_RATIO} times (a zip bomb)"
        )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, never more than it declared (zipfile checks the CRC at the end)."""
    out = bytearray()
    with archive.open(info) as entry:
        while chunk := entry.read(_CHUNK):
            out += chunk
            if len(out) > info.file_size:
                raise _refuse(f"{display_name(info.filename)} holds more than it declares")
    return bytes(out)


def _files(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(f"it has more than {MAX_ENTRIES} entries")
    files = [info for info in infos if not info.is_dir()]
    for info in files:
        _check(info)
    if sum(info.file_size for info in files) > MAX_TOTAL_BYTES:
        raise _refuse(f"its files add up to more than {MAX_TOTAL_BYTES} bytes")
    names = [display_name(info.filename) for info in files]
    if len(set(names)) != len(names):
        raise _refuse("two entries have the same name")
    if not files:
        raise _refuse("it holds no files")
    return files


def unpack(data: bytes) -> list[ZipEntry]:
    """Every file of the zip, or `ZipRefusedError` saying why none is taken."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = _files(archive)
            entries = [
                ZipEntry(display_name(info.filename), _read(archive, info)) for info in files
            ]
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
    ) as error:
        raise _refuse(f"it is damaged or not a zip file ({error})") from error
    if sum(len(entry.data) for entry in entries) > MAX_TOTAL_BYTES:
        raise _refuse(f"its files add up to more than {MAX_TOTAL_BYTES} bytes")
    return entries
