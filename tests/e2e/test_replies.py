"""Replies by email through the local cloud (MS-7): the mail viewer shows each email's own
Reply-To; what is sent back to it through the inbound door (stored in S3 and handed to the
inbound_email function as SES would, verdicts set by the test) is answered kindly once a
day, or, with the firm's setting on, lands in the thread, quoted history stripped, marked as
by email; spam, an auto-reply, list mail and a forged sender are dropped."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from localcloud.cloud import Endpoints
from tests.support.mail import reply_mail
from tests.support.waiting import eventually

QUOTED = "Please send the signed engagement letter"


@pytest.fixture
def owner(id_token: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {id_token('owner')}"}


@pytest.fixture
def landing(http: httpx.Client, owner: dict[str, str]) -> Iterator[Callable[[bool], None]]:
    """Turns the firm's `land_email_replies` on or off; off again after the test."""

    def land(on: bool) -> None:
        answer = http.patch("/settings", headers=owner, json={"land_email_replies": on})
        assert (answer.status_code, answer.json()["land_email_replies"]) == (200, on)

    land(False)
    yield land
    land(False)


def _thread_with_email(
    endpoints: Endpoints, http: httpx.Client, console: httpx.Client, owner: dict[str, str]
) -> tuple[str, dict[str, Any]]:
    accounts = http.get("/accounts", headers=owner, params={"size": 250}).json()["accounts"]
    account_id = next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace")
    created = http.post(
        "/threads",
        headers=owner,
        json={
            "account_id": account_id,
            "subject": "Engagement letter",
            "message": {"client_id": uuid.uuid4().hex, "body": f"<p>{QUOTED}</p>"},
        },
    )
    assert created.status_code == 201, created.text
    thread_id = str(created.json()["thread_id"])

    def email_of_thread() -> list[dict[str, Any]]:
        return [
            mail
            for mail in console.get(endpoints.mail_json).json()
            if f"/threads/{thread_id}" in (mail["text"] or "") and mail["to"] == [ADA]
        ]

    (email,) = eventually(email_of_thread)
    return thread_id, email


ADA = "ada@lovelace.example"


def _send(
    console: httpx.Client,
    endpoints: Endpoints,
    to: str,
    text: str,
    *,
    sender: str = ADA,
    headers: dict[str, str] | None = None,
    **envelope: str,
) -> str:
    """A raw MIME message through the inbound door; the function's one outcome."""
    answer = console.post(
        endpoints.inbound_mail,
        params=envelope,
        content=reply_mail(sender, to, text, name="Ada Lovelace", headers=headers),
        headers={"Content-Type": "message/rfc822"},
    )
    assert answer.status_code == 202, answer.text
    ((outcome, _reason),) = answer.json()["result"]["outcomes"]
    return str(outcome)


def _reply(words: str) -> str:
    return f"{words}\n\nOn Wed, 2 Dec 2026 at 09:00, Babbage & Co wrote:\n> {QUOTED}\n> Thanks\n"


def _messages(http: httpx.Client, owner: dict[str, str], thread_id: str) -> list[dict[str, Any]]:
    answer = http.get(f"/threads/{thread_id}/messages", headers=owner)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["messages"])


def _answers_to_ada(console: httpx.Client, endpoints: Endpoints) -> list[dict[str, Any]]:
    return [
        mail
        for mail in console.get(endpoints.mail_json).json()
        if mail["to"] == [ADA] and mail["headers"].get("Auto-Submitted") == "auto-replied"
    ]


def test_a_reply_by_email_is_answered_kindly_once_a_day(
    endpoints: Endpoints,
    http: httpx.Client,
    console: httpx.Client,
    owner: dict[str, str],
    landing: Callable[[bool], None],
) -> None:
    thread_id, email = _thread_with_email(endpoints, http, console, owner)
    (reply_to,) = email["reply_to"]
    assert reply_to.startswith("reply+")
    assert reply_to.endswith("@reply.firmchat.localhost")
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    before = len(_answers_to_ada(console, endpoints))

    assert _send(console, endpoints, reply_to, _reply("Signed, attached.")) == "answered"
    assert _send(console, endpoints, reply_to, _reply("Did you get it?")) == "dropped"

    answers = _answers_to_ada(console, endpoints)
    assert len(answers) == before + 1
    assert f"/threads/{thread_id}" in answers[-1]["text"]
    assert QUOTED not in answers[-1]["text"]
    assert len(_messages(http, owner, thread_id)) == 1


def test_with_the_setting_on_a_reply_lands_and_unwanted_mail_is_dropped(
    endpoints: Endpoints,
    http: httpx.Client,
    console: httpx.Client,
    owner: dict[str, str],
    landing: Callable[[bool], None],
) -> None:
    thread_id, email = _thread_with_email(endpoints, http, console, owner)
    (reply_to,) = email["reply_to"]
    landing(True)

    unwanted: list[dict[str, Any]] = [
        {"spam": "FAIL"},
        {"spf": "FAIL"},
        {"headers": {"Auto-Submitted": "auto-replied"}},
        {"headers": {"List-Id": "<news.lovelace.example>"}},
        {"sender": "mallory@elsewhere.example"},
    ]
    for case in unwanted:
        assert _send(console, endpoints, reply_to, "Buy now", **case) == "dropped", case
    assert _send(console, endpoints, reply_to, _reply("Signed, attached.")) == "posted"

    newest, first = _messages(http, owner, thread_id)
    assert (newest["via"], first["via"]) == ("email", "portal")
    assert newest["author"]["name"] == "Ada Lovelace"
    assert newest["text"] == "Signed, attached."


def test_the_inbound_door_stores_the_message_as_the_receipt_rule_would(
    endpoints: Endpoints, console: httpx.Client, aws_client: Any
) -> None:
    raw = b"From: someone@elsewhere.example\r\nTo: hello@reply.firmchat.localhost\r\n\r\nhi\r\n"
    answer = console.post(
        endpoints.inbound_mail, content=raw, headers={"Content-Type": "message/rfc822"}
    )
    assert answer.status_code == 202, answer.text
    stored = aws_client("s3").get_object(
        Bucket=endpoints.resources["InboundMailBucket"],
        Key=f"inbound/{answer.json()['messageId']}",
    )
    assert stored["Body"].read() == raw
    assert answer.json()["result"]["outcomes"][0][0] == "dropped"  # no token in the address

    refused = console.post(endpoints.inbound_mail, params={"spf_verdict": "FAIL"}, content=raw)
    assert refused.status_code == 400
