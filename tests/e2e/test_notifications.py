"""Notifications through the local cloud: a firm message reaches the account's contact by
email (content hidden, with its one-click unsubscribe link), and the client's reply lands in
the creator's inbox, on top."""

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from localcloud.cloud import Endpoints
from tests.support.mail import eventually


def _bearer(id_token: Callable[[str], str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {id_token(who)}"}


def _lovelace(http: httpx.Client, owner: dict[str, str]) -> str:
    accounts = http.get("/accounts", headers=owner, params={"size": 250}).json()["accounts"]
    return str(next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace"))


def test_a_firm_message_is_emailed_once_and_the_clients_reply_tops_the_inbox(
    endpoints: Endpoints, http: httpx.Client, console: httpx.Client, id_token: Any
) -> None:
    owner = _bearer(id_token, "owner")
    client = _bearer(id_token, "contact of Lovelace")
    secret = f"refund {uuid.uuid4().hex[:8]}"
    created = http.post(
        "/threads",
        headers=owner,
        json={
            "account_id": _lovelace(http, owner),
            "subject": "2025 return",
            "message": {"client_id": uuid.uuid4().hex, "body": f"<p>{secret}</p>"},
        },
    )
    assert created.status_code == 201, created.text
    thread_id = created.json()["thread_id"]

    def emails_of_thread() -> list[dict[str, Any]]:
        return [
            mail
            for mail in console.get(endpoints.mail_json).json()
            if f"/threads/{thread_id}" in (mail["text"] or "")
        ]

    (email,) = eventually(emails_of_thread)
    assert email["to"] == ["ada@lovelace.example"]
    assert secret not in email["text"]
    assert secret not in (email["html"] or "")
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link = email["headers"]["List-Unsubscribe"].split(",")[0].strip(" <>")
    confirmation = httpx.get(https_link)  # the GET only asks: Ada stays subscribed
    assert confirmation.status_code == 200
    assert "ada@lovelace.example" in confirmation.text

    replied = http.post(
        f"/threads/{thread_id}/messages",
        headers=client,
        json={"client_id": uuid.uuid4().hex, "body": "<p>Here it is</p>"},
    )
    assert replied.status_code == 201, replied.text

    def top_of_inbox() -> dict[str, Any] | None:
        entries = http.get("/inbox", headers=owner).json()["entries"]
        return entries[0] if entries and entries[0]["thread_id"] == thread_id else None

    top = eventually(top_of_inbox)
    assert top is not None
    assert (top["actor"]["name"], top["unread"]) == ("Ada Lovelace", 1)
    assert len(emails_of_thread()) == 1


def test_a_burst_of_five_firm_messages_gives_two_emails(
    endpoints: Endpoints, http: httpx.Client, console: httpx.Client, id_token: Any
) -> None:
    owner = _bearer(id_token, "owner")
    client = _bearer(id_token, "contact of Lovelace")
    created = http.post(
        "/threads",
        headers=owner,
        json={
            "account_id": _lovelace(http, owner),
            "subject": "Year-end papers",
            "message": {"client_id": uuid.uuid4().hex, "body": "<p>1 of 5</p>"},
        },
    )
    assert created.status_code == 201, created.text
    thread_id = created.json()["thread_id"]
    for n in range(2, 6):
        posted = http.post(
            f"/threads/{thread_id}/messages",
            headers=owner,
            json={"client_id": uuid.uuid4().hex, "body": f"<p>{n} of 5</p>"},
        )
        assert posted.status_code == 201, posted.text

    def emails_of_thread() -> list[dict[str, Any]]:
        return [
            mail
            for mail in console.get(endpoints.mail_json).json()
            if f"/threads/{thread_id}" in (mail["text"] or "")
        ]

    def all_five_counted() -> bool:
        entries = http.get("/dashboard", headers=client).json()["entries"]
        return any(e["thread_id"] == thread_id and e["unread"] == 5 for e in entries)

    assert eventually(all_five_counted)
    assert len(eventually(emails_of_thread)) == 1  # the first, at once

    moved = console.post(endpoints.clock, json={"advance_seconds": 6 * 60}).json()
    assert moved["fired"], moved
    assert eventually(lambda: len(emails_of_thread()) == 2)
    emails = emails_of_thread()
    assert [mail["to"] for mail in emails] == [["ada@lovelace.example"]] * 2
    assert "More messages" in emails[1]["subject"]
    assert "List-Unsubscribe" in emails[1]["headers"]
