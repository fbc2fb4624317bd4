"""A hostile zip corpus, built in code: each kind is refused as a whole, with its reason;
an honest zip is unpacked with its inner zips kept as files and its names made safe."""

import io
import struct
import zipfile
from collections.abc import Callable

import pytest

from firmchat.domain import zips
from firmchat.domain.zips import MAX_ENTRIES, MAX_ENTRY_BYTES, ZipRefusedError, unpack


def _zip(
    *entries: tuple[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def _info(name: str, *, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def _encrypted() -> bytes:
    """The encryption flag set in both headers (zipfile itself cannot write encrypted)."""
    archive = bytearray(_zip(("secret.txt", b"x")))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = archive.index(signature) + offset
        archive[at] |= 0x1
    return bytes(archive)


def _declaring(size: int, data: bytes = b"x" * 100) -> bytes:
    """A stored entry whose central directory declares `size` uncompressed bytes."""
    archive = bytearray(_zip(("a.txt", data), method=zipfile.ZIP_STORED))
    header = archive.index(b"PK\x01\x02")
    archive[header + 24 : header + 28] = struct.pack("<I", size)
    return bytes(archive)


def _tampered() -> bytes:
    archive = bytearray(_zip(("a.txt", b"honest data " * 10), method=zipfile.ZIP_STORED))
    archive[archive.index(b"honest")] ^= 0xFF
    return bytes(archive)


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "zip slip": (lambda: _zip(("../../evil.sh", b"x")), "parent path"),
    "zip slip with backslashes": (lambda: _zip(("..\\..\\evil.bat", b"x")), "parent path"),
    "absolute path": (lambda: _zip(("/etc/cron.d/evil", b"x")), "absolute"),
    "drive letter": (lambda: _zip(("C:/Windows/evil.dll", b"x")), "absolute"),
    "symlink": (lambda: _zip((_info("link", mode=0o120777), b"/etc/passwd")), "symbolic link"),
    "encrypted entry": (_encrypted, "encrypted"),
    "too many entries": (
        lambda: _zip(*((f"f{n}.txt", b"x") for n in range(MAX_ENTRIES + 1))),
        "more than",
    ),
    "compression bomb": (lambda: _zip(("zeros.bin", bytes(5_000_000))), "zip bomb"),
    "declared size too large": (lambda: _declaring(MAX_ENTRY_BYTES + 1), "larger than"),
    "holds more than declared": (lambda: _declaring(10), "damaged"),
    "bad checksum": (_tampered, "damaged"),
    "not a zip": (lambda: b"%PDF-1.7 pretending", "not a zip"),
    "duplicate names": (lambda: _zip(("a.txt", b"1"), ("./a.txt", b"2")), "same name"),
    "no files": (lambda: _zip(("empty/", b"")), "no files"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_zip_is_refused_with_its_reason(kind: str) -> None:
    build, reason = HOSTILE[kind]
    with pytest.raises(ZipRefusedError) as refused:
        unpack(build())
    assert refused.value.message.startswith("the zip was not unpacked: ")
    assert reason in refused.value.message


def test_the_corpus_is_at_least_ten_kinds() -> None:
    assert len(HOSTILE) >= 10


def test_an_honest_zip_is_unpacked_with_inner_zips_kept_as_files() -> None:
    inner = _zip(("deep.txt", b"deep"))
    entries = unpack(
        _zip(("Taxes/", b""), ("Taxes/2025\x07 return.pdf", b"%PDF-"), ("inner.zip", inner))
    )
    assert [(entry.name, entry.data) for entry in entries] == [
        ("Taxes/2025 return.pdf", b"%PDF-"),
        ("inner.zip", inner),
    ]


def test_the_total_of_all_entries_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zips, "MAX_TOTAL_BYTES", 150)
    with pytest.raises(ZipRefusedError, match="add up to more than 150"):
        unpack(_zip(("a.txt", b"a" * 100), ("b.txt", b"b" * 100)))
