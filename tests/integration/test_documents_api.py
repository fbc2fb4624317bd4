"""Documents over the HTTP API and the uploads function (spec DC-1 to DC-6), in moto's
world: folders, upload forms, arrival, the scanner's verdict, zips, links and deletes."""

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from firmchat.domain.principal import Right, Role
from localcloud.scanner import EICAR, object_created, scan
from testkit.people import Seeder
from tests.conftest import DOCUMENTS_BUCKET
from tests.support.api import HttpApi, SignIn
from tests.support.documents import ACCOUNT, REGION, Bucket, form_policy, sqs_event, zip_of
from tests.support.streams import TableStream

FIRM, OTHER_FIRM = "firm-1", "firm-2"
OWNER = SignIn(FIRM, "sub-owner")
MEMBER = SignIn(FIRM, "sub-member")
DOCS_MEMBER = SignIn(FIRM, "sub-docs-member")
CLIENT = SignIn(FIRM, "sub-client")
OTHER_CLIENT = SignIn(FIRM, "sub-other-client")
STRANGER = SignIn(OTHER_FIRM, "sub-stranger")

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.account(FIRM, "acct-2")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    seeder.client_user(FIRM, "acct-2", "contact-2", OTHER_CLIENT.subject)
    seeder.firm_user(FIRM, "member", MEMBER.subject, Role.MEMBER, assigned=["acct-1"])
    seeder.firm_user(
        FIRM,
        "docs",
        DOCS_MEMBER.subject,
        Role.MEMBER,
        assigned=["acct-1"],
        rights=[Right.MANAGE_DOCUMENTS],
    )
    seeder.firm(OTHER_FIRM, STRANGER.subject)
    return HttpApi(lambda_function("HttpApiFunction"))


@pytest.fixture
def bucket(lambda_function):
    return Bucket(DOCUMENTS_BUCKET, lambda_function("UploadsFunction"))


def _folder(api: HttpApi, name: str, access: str, who: SignIn = OWNER) -> str:
    answer = api.call("POST", "/accounts/acct-1/folders", who, {"name": name, "access": access})
    assert answer.status == 201, answer.body
    return str(answer.body["folder_id"])


def _thread(api: HttpApi, account: str = "acct-1", client_id: str = "first-0001") -> str:
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": account,
            "subject": "Missing documents",
            "message": {"client_id": client_id, "body": "<p>Please send them</p>"},
        },
    )
    assert answer.status == 201, answer.body
    return str(answer.body["thread_id"])


def _forms(
    api: HttpApi, who: SignIn, thread: str, folder: str, files: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    answer = api.call(
        "POST", f"/threads/{thread}/uploads", who, {"folder_id": folder, "files": files}
    )
    assert answer.status == 201, answer.body
    return list(answer.body["uploads"])


def _file(name: str, data: bytes, content_type: str) -> dict[str, Any]:
    return {"name": name, "content_type": content_type, "size": len(data)}


def _documents(api: HttpApi, who: SignIn, thread: str) -> dict[str, dict[str, Any]]:
    answer = api.call("GET", f"/threads/{thread}/documents?size=250", who)
    assert answer.status == 200, answer.body
    return {row["name"]: row for row in answer.body["documents"]}


def test_folders_are_managed_by_the_firm_and_private_ones_hidden_from_clients(api):
    shared = _folder(api, "Shared", "client_can_view")
    _folder(api, "Working papers", "private", who=DOCS_MEMBER)

    assert (
        api.call(
            "POST", "/accounts/acct-1/folders", MEMBER, {"name": "X", "access": "private"}
        ).status
        == 403
    )
    assert (
        api.call(
            "POST", "/accounts/acct-1/folders", CLIENT, {"name": "X", "access": "private"}
        ).status
        == 403
    )
    assert (
        api.call(
            "POST", "/accounts/acct-1/folders", STRANGER, {"name": "X", "access": "private"}
        ).status
        == 404
    )
    duplicate = api.call(
        "POST", "/accounts/acct-1/folders", OWNER, {"name": "shared", "access": "private"}
    )
    assert duplicate.status == 409

    firm_view = api.call("GET", "/accounts/acct-1/folders", OWNER).body["folders"]
    client_view = api.call("GET", "/accounts/acct-1/folders", CLIENT).body["folders"]
    assert [folder["name"] for folder in firm_view] == ["Shared", "Working papers"]
    assert [folder["name"] for folder in client_view] == ["Shared"]
    assert api.call("GET", "/accounts/acct-1/folders", OTHER_CLIENT).status == 404

    changed = api.call("PATCH", f"/accounts/acct-1/folders/{shared}", OWNER, {"access": "private"})
    assert changed.status == 200
    assert api.call("GET", "/accounts/acct-1/folders", CLIENT).body["folders"] == []


def test_an_upload_form_grants_one_key_one_type_one_size_briefly(api):
    folder = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    (form,) = _forms(api, CLIENT, thread, folder, [_file("receipt.pdf", PDF, "application/pdf")])

    conditions = form_policy(form)["conditions"]
    key = form["fields"]["key"]
    assert key == f"firms/{FIRM}/accounts/acct-1/threads/{thread}/documents/{form['document_id']}"
    assert ["eq", "$key", key] in conditions
    assert ["eq", "$Content-Type", "application/pdf"] in conditions
    assert ["content-length-range", len(PDF), len(PDF)] in conditions
    expires = datetime.fromisoformat(form_policy(form)["expiration"])
    assert expires <= datetime.fromisoformat(form["expires_at"])
    assert datetime.fromisoformat(form["expires_at"]) - expires < timedelta(seconds=1)


def test_a_client_uploads_files_a_folder_and_a_zip_which_are_scanned_then_ready(api, bucket):
    folder = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    sent = {
        "receipt.pdf": (PDF, "application/pdf"),
        "Taxes/2025/a.txt": (b"a", "text/plain"),
        "Taxes/2025/b.txt": (b"bb", "text/plain"),
        "Taxes/../..\\c.txt": (b"ccc", "text/plain"),
        "five.zip": (zip_of({f"dir/{n}.txt": n.encode() * 10 for n in "vwxyz"}), "application/zip"),
        "eicar.txt": (EICAR, "text/plain"),
    }
    files = [_file(name, data, kind) for name, (data, kind) in sent.items()]
    forms = _forms(api, CLIENT, thread, folder, files)
    assert [form["name"] for form in forms] == [
        "receipt.pdf",
        "Taxes/2025/a.txt",
        "Taxes/2025/b.txt",
        "Taxes/c.txt",
        "five.zip",
        "eicar.txt",
    ]
    assert {row["status"] for row in _documents(api, OWNER, thread).values()} == {"pending"}

    for form, (data, _) in zip(forms, sent.values(), strict=True):
        bucket.post(form, data)
    bucket.deliver()

    listed = _documents(api, OWNER, thread)
    assert {name: row["status"] for name, row in listed.items()} == {
        "receipt.pdf": "ready",
        "Taxes/2025/a.txt": "ready",
        "Taxes/2025/b.txt": "ready",
        "Taxes/c.txt": "ready",
        "five.zip": "ready",
        **{f"dir/{n}.txt": "ready" for n in "vwxyz"},
        "eicar.txt": "blocked",
    }
    assert "EICAR" in listed["eicar.txt"]["reason"]
    assert {listed[f"dir/{n}.txt"]["unpacked_from"] for n in "vwxyz"} == {forms[4]["document_id"]}
    assert listed["receipt.pdf"]["viewable"] is True
    assert _documents(api, CLIENT, thread).keys() == listed.keys()
    assert api.call("GET", f"/threads/{thread}", OWNER).body["documents"] == 11

    eicar = listed["eicar.txt"]["document_id"]
    refused = api.call("GET", f"/threads/{thread}/documents/{eicar}/link", CLIENT)
    assert refused.status == 409
    assert "blocked" in refused.body["detail"]


def test_links_are_attachments_of_a_fixed_type_and_inline_only_for_true_pdfs_and_images(
    api, bucket
):
    folder = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    sent = {
        "receipt.pdf": (PDF, "application/pdf"),
        "photo.png": (PNG, "image/png"),
        "fake.png": (b"<html><script>alert(1)</script></html>", "image/png"),
        "drawing.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    }
    forms = _forms(api, CLIENT, thread, folder, [_file(n, d, k) for n, (d, k) in sent.items()])
    for form, (data, _) in zip(forms, sent.values(), strict=True):
        bucket.post(form, data)
    bucket.deliver()
    ids = {form["name"]: form["document_id"] for form in forms}

    def link(name: str, inline: bool) -> tuple[int, dict[str, list[str]]]:
        query = "?inline=true" if inline else ""
        answer = api.call("GET", f"/threads/{thread}/documents/{ids[name]}/link{query}", OWNER)
        if answer.status != 200:
            return answer.status, {}
        return 200, parse_qs(urlparse(answer.body["url"]).query)

    for name in sent:
        status, query = link(name, inline=False)
        assert status == 200
        assert query["response-content-type"] == ["application/octet-stream"]
        assert query["response-content-disposition"][0].startswith("attachment;")
        assert int(query["X-Amz-Expires"][0]) <= 60
    for name, kind in (("receipt.pdf", "application/pdf"), ("photo.png", "image/png")):
        status, query = link(name, inline=True)
        assert query["response-content-type"] == [kind]
        assert query["response-content-disposition"][0].startswith("inline;")
    assert link("fake.png", inline=True)[0] == 409
    assert link("drawing.svg", inline=True)[0] == 409


def test_who_may_attach_and_what_is_refused(api):
    private = _folder(api, "Working papers", "private")
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    other_thread = _thread(api, "acct-2", "first-0002")
    pdf = [_file("receipt.pdf", PDF, "application/pdf")]

    def ask(
        who: SignIn, files: list[dict[str, Any]], folder: str = shared, on: str = thread
    ) -> int:
        body = {"folder_id": folder, "files": files}
        return int(api.call("POST", f"/threads/{on}/uploads", who, body).status)

    assert ask(DOCS_MEMBER, pdf) == 201
    assert ask(MEMBER, pdf) == 403
    assert ask(OTHER_CLIENT, pdf) == 404
    assert ask(STRANGER, pdf) == 404
    assert ask(CLIENT, pdf, folder=private) == 403
    assert ask(CLIENT, pdf, folder="no-such-folder") == 404
    assert ask(OWNER, pdf, on=other_thread) == 404  # acct-2 has no folders: a clear 4xx
    assert (
        ask(CLIENT, [_file("huge.bin", b"x", "application/octet-stream") | {"size": 2**40}]) == 413
    )
    assert ask(CLIENT, [_file("bad", b"x", "text/html; charset=x")]) == 422
    assert ask(CLIENT, []) == 422


def test_documents_of_another_thread_account_or_firm_cannot_be_reached(api, bucket):
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    second = _thread(api, client_id="first-0003")
    (form,) = _forms(api, CLIENT, thread, shared, [_file("receipt.pdf", PDF, "application/pdf")])
    bucket.post(form, PDF)
    bucket.deliver()
    document = form["document_id"]

    assert api.call("GET", f"/threads/{thread}/documents/{document}/link", CLIENT).status == 200
    assert api.call("GET", f"/threads/{second}/documents/{document}/link", OWNER).status == 404
    for who in (OTHER_CLIENT, STRANGER):
        assert api.call("GET", f"/threads/{thread}/documents/{document}/link", who).status == 404
        assert api.call("GET", f"/threads/{thread}/documents", who).status == 404
        assert api.call("DELETE", f"/threads/{thread}/documents/{document}", who).status == 404


def test_deleting_a_document_takes_it_off_the_thread_with_every_version(api, bucket):
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    forms = _forms(
        api,
        CLIENT,
        thread,
        shared,
        [_file("a.pdf", PDF, "application/pdf"), _file("b.pdf", PDF, "application/pdf")],
    )
    for form in forms:
        bucket.post(form, PDF)
    bucket.post(forms[0], PDF)  # a second version of the same key
    bucket.deliver()
    first, key = forms[0]["document_id"], forms[0]["fields"]["key"]

    assert api.call("DELETE", f"/threads/{thread}/documents/{first}", MEMBER).status == 403
    assert api.call("DELETE", f"/threads/{thread}/documents/{first}", OWNER).status == 204

    assert list(_documents(api, CLIENT, thread)) == ["b.pdf"]
    assert api.call("GET", f"/threads/{thread}", OWNER).body["documents"] == 1
    versions = bucket.s3.list_object_versions(Bucket=DOCUMENTS_BUCKET, Prefix=key)
    assert not versions.get("Versions")
    assert not versions.get("DeleteMarkers")
    assert api.call("GET", f"/threads/{thread}/documents/{first}/link", OWNER).status == 404


def test_a_refused_zip_is_blocked_with_its_reason_and_nothing_unpacked(api, bucket):
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    slip = zip_of({"fine.txt": b"fine", "../../escape.txt": b"x"})
    (form,) = _forms(api, CLIENT, thread, shared, [_file("slip.zip", slip, "application/zip")])
    bucket.post(form, slip)
    bucket.deliver()

    listed = _documents(api, OWNER, thread)
    assert list(listed) == ["slip.zip"]
    assert listed["slip.zip"]["status"] == "blocked"
    assert "parent path" in listed["slip.zip"]["reason"]
    stored = bucket.s3.list_objects_v2(Bucket=DOCUMENTS_BUCKET, Prefix="firms/")["Contents"]
    assert [entry["Key"] for entry in stored] == [form["fields"]["key"]]


def test_a_verdict_before_the_arrival_settles_the_document_once(api, bucket, lambda_function):
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    (form,) = _forms(api, CLIENT, thread, shared, [_file("receipt.pdf", PDF, "application/pdf")])
    bucket.post(form, PDF)
    key = form["fields"]["key"]
    uploads = lambda_function("UploadsFunction")
    verdict = scan(bucket.s3, DOCUMENTS_BUCKET, key, REGION, ACCOUNT)
    arrival = object_created(DOCUMENTS_BUCKET, key, len(PDF), REGION)
    for body in (verdict, arrival, arrival):
        assert uploads.invoke(sqs_event(body)) == {"batchItemFailures": []}

    assert _documents(api, OWNER, thread)["receipt.pdf"]["status"] == "ready"
    assert api.call("GET", f"/threads/{thread}", OWNER).body["documents"] == 1


def test_a_purged_thread_takes_its_documents_objects_with_it(
    api, bucket, lambda_function, core_settings
):
    shared = _folder(api, "Shared", "client_can_view")
    thread = _thread(api)
    (form,) = _forms(api, CLIENT, thread, shared, [_file("a.pdf", PDF, "application/pdf")])
    bucket.post(form, PDF)
    bucket.deliver()
    key = form["fields"]["key"]
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    stream.new_records()  # what came before the delete is not this test's
    worker = lambda_function("StreamWorkerFunction")

    assert api.call("DELETE", f"/threads/{thread}", OWNER).status == 204
    while records := stream.new_records():
        assert worker.invoke({"Records": records}) == {"batchItemFailures": []}

    versions = bucket.s3.list_object_versions(Bucket=DOCUMENTS_BUCKET, Prefix=key)
    assert not versions.get("Versions")
    assert not versions.get("DeleteMarkers")
