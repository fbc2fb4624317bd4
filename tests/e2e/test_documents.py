"""Documents through the local cloud (spec DC-1 to DC-6): a client posts files, a folder and a
zip with the forms the API gave out; moto announces each object to the uploads queue, the
local scanner tags it and sends its verdict; the firm sees them scanning, then ready; an
EICAR file is blocked; a member without manage-documents cannot attach; a client of
another account reaches none of them."""

import io
import time
import zipfile
from collections.abc import Callable
from typing import Any

import httpx

from localcloud.scanner import EICAR

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SETTLED = {"ready", "blocked"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _zip(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(count):
            archive.writestr(f"statements/month-{number}.txt", f"statement {number}\n" * 20)
    return out.getvalue()


def _settled(http: httpx.Client, token: str, thread: str, expected: int) -> dict[str, Any]:
    """The thread's documents once `expected` of them have a verdict (the queue pollers
    and the scanner run on their own threads)."""
    deadline = time.monotonic() + 60
    while True:
        rows = _ok(http.get(f"/threads/{thread}/documents?size=250", headers=_auth(token)))
        documents = {row["name"]: row for row in rows["documents"]}
        done = [row for row in documents.values() if row["status"] in SETTLED]
        if len(done) >= expected or time.monotonic() > deadline:
            return documents
        time.sleep(0.5)


def test_a_client_uploads_into_a_thread_and_the_firm_sees_the_scanned_documents(
    http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner, client = id_token("owner"), id_token("contact of Lovelace")
    member, stranger = id_token("member assigned to Lovelace"), id_token("contact of Babbage")
    accounts = _ok(http.get("/accounts", headers=_auth(owner)))["accounts"]
    account = next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace")
    folder = _ok(
        http.post(
            f"/accounts/{account}/folders",
            headers=_auth(owner),
            json={"name": f"Uploads {time.time_ns()}", "access": "client_can_view"},
        ),
        201,
    )["folder_id"]
    thread = _ok(
        http.post(
            "/threads",
            headers=_auth(owner),
            json={
                "account_id": account,
                "subject": "Missing documents",
                "message": {"client_id": f"docs-{time.time_ns()}", "body": "Please send them"},
            },
        ),
        201,
    )["thread_id"]
    sent = {
        "return.pdf": (PDF, "application/pdf"),
        "Receipts/a.txt": (b"a", "text/plain"),
        "Receipts/b.txt": (b"bb", "text/plain"),
        "Receipts/c.txt": (b"ccc", "text/plain"),
        "statements.zip": (_zip(5), "application/zip"),
        "eicar.com": (EICAR, "application/octet-stream"),
    }
    files = [{"name": n, "content_type": t, "size": len(d)} for n, (d, t) in sent.items()]
    request = {"folder_id": folder, "files": files}

    refused = http.post(f"/threads/{thread}/uploads", headers=_auth(member), json=request)
    assert refused.status_code == 403
    assert "manage-documents" in refused.json()["detail"]

    forms = _ok(http.post(f"/threads/{thread}/uploads", headers=_auth(client), json=request), 201)[
        "uploads"
    ]
    for form, (data, _) in zip(forms, sent.values(), strict=True):
        posted = httpx.post(form["url"], data=form["fields"], files={"file": data}, timeout=30)
        assert posted.status_code in (200, 204), posted.text

    documents = _settled(http, owner, thread, expected=len(sent) + 5)
    statuses = {name: row["status"] for name, row in documents.items()}
    assert statuses == {
        **dict.fromkeys(
            ["return.pdf", "Receipts/a.txt", "Receipts/b.txt", "Receipts/c.txt"], "ready"
        ),
        "statements.zip": "ready",
        **{f"statements/month-{n}.txt": "ready" for n in range(5)},
        "eicar.com": "blocked",
    }
    assert _ok(http.get(f"/threads/{thread}", headers=_auth(owner)))["documents"] == 11

    eicar = documents["eicar.com"]["document_id"]
    blocked = http.get(f"/threads/{thread}/documents/{eicar}/link", headers=_auth(client))
    assert blocked.status_code == 409
    assert "EICAR" in blocked.json()["detail"]

    pdf = documents["return.pdf"]["document_id"]
    link = _ok(http.get(f"/threads/{thread}/documents/{pdf}/link", headers=_auth(client)))
    fetched = httpx.get(link["url"], timeout=30)
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["content-disposition"].startswith("attachment;")

    assert http.get(f"/threads/{thread}/documents", headers=_auth(stranger)).status_code == 404
    for row in documents.values():
        path = f"/threads/{thread}/documents/{row['document_id']}/link"
        assert http.get(path, headers=_auth(stranger)).status_code == 404
