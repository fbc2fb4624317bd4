"""Replies to notification emails (MS-7), through the template's functions in moto's world: each
email names a Reply-To of its own; what comes back through SES's receipt (the raw mail in the
inbound bucket, then the inbound_email function) is answered kindly once a day, or, with the
firm's `land_email_replies` on, lands in the thread as its sender, quoted history stripped,
marked by email. Spam, failed verdicts, automatic and list mail, forged senders and unknown
tokens come to nothing."""

import uuid
from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from firmchat.domain.principal import FirmSettings
from testkit.people import Seeder
from tests.conftest import INBOUND_MAIL_BUCKET
from tests.support.api import HttpApi, SignIn
from tests.support.mail import reply_mail
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-ada")
ADA = "ada@acct-1.example"
REPLY_DOMAIN = "reply.firmchat.localhost"
QUOTED = "Please send the 2025 receipts"
REPLY = f"""Here they are, all twelve.

Best,
Ada

On Tue, 1 Dec 2026 at 10:00, Firm firm-1 <no-reply@firmchat.example> wrote:
> {QUOTED}
> Thanks
"""


@pytest.fixture
def world(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject, settings=FirmSettings(client_email_group_minutes=0))
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "ada", CLIENT.subject)
    api = HttpApi(lambda_function("HttpApiFunction"))
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    worker = lambda_function("StreamWorkerFunction")
    worker.invoke(stream.event())
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "2025 return",
            "message": {"client_id": uuid.uuid4().hex, "body": f"<p>{QUOTED}</p>"},
        },
    )
    assert answer.status == 201, answer.body
    worker.invoke(stream.event())
    return {
        "api": api,
        "worker": worker,
        "stream": stream,
        "inbound": lambda_function("InboundEmailFunction"),
        "thread_id": str(answer.body["thread_id"]),
    }


def _emails(aws_calls) -> list[dict[str, Any]]:
    return [call.body for call in aws_calls.of("sesv2", "SendEmail")]


def _reply_to(aws_calls, address: str) -> str:
    (email,) = [e for e in _emails(aws_calls) if e["Destination"]["ToAddresses"] == [address]]
    (reply_to,) = email["ReplyToAddresses"]
    return str(reply_to)


def _receive(
    world,
    to: str,
    *,
    sender: str = ADA,
    text: str = REPLY,
    headers: dict[str, str] | None = None,
    mail_from: str | None = None,
    **verdicts: str,
) -> list[str]:
    """Delivers a message as SES's receipt rule does: the object, then the function."""
    message_id = uuid.uuid4().hex
    boto3.client("s3").put_object(
        Bucket=INBOUND_MAIL_BUCKET,
        Key=f"inbound/{message_id}",
        Body=reply_mail(sender, to, text, name="Ada", headers=headers),
    )
    receipt = {
        "recipients": [to],
        **{
            f"{name}Verdict": {"status": verdicts.get(name, "PASS")}
            for name in ("spam", "virus", "spf", "dkim", "dmarc")
        },
    }
    mail = {"messageId": message_id, "source": sender if mail_from is None else mail_from}
    answer = world["inbound"].invoke({"Records": [{"ses": {"mail": mail, "receipt": receipt}}]})
    return [outcome for outcome, _ in answer["outcomes"]]


def _messages(world) -> list[dict[str, Any]]:
    answer = world["api"].call("GET", f"/threads/{world['thread_id']}/messages", CLIENT)
    assert answer.status == 200
    return list(answer.body["messages"])


def _land_replies(world) -> None:
    answer = world["api"].call("PATCH", "/settings", OWNER, {"land_email_replies": True})
    assert (answer.status, answer.body["land_email_replies"]) == (200, True)


def test_every_email_names_a_reply_to_of_its_own(world, aws_calls):
    reply_to = _reply_to(aws_calls, ADA)
    local, _, domain = reply_to.partition("@")
    assert domain == REPLY_DOMAIN
    assert local.startswith(f"reply+{FIRM}.")

    api = world["api"]
    assert (
        api.call("PUT", "/me/notification-preferences", OWNER, {"message": "email"}).status == 200
    )
    _post = {"client_id": uuid.uuid4().hex, "body": "<p>Thanks</p>"}
    assert api.call("POST", f"/threads/{world['thread_id']}/messages", CLIENT, _post).status == 201
    aws_calls.calls.clear()
    world["worker"].invoke(world["stream"].event())
    owner_reply_to = _reply_to(aws_calls, "owner@firm-1.example")
    assert owner_reply_to.startswith(f"reply+{FIRM}.")
    assert owner_reply_to != reply_to


def test_a_reply_is_answered_kindly_once_a_day_when_replies_do_not_land(world, aws_calls):
    reply_to = _reply_to(aws_calls, ADA)
    aws_calls.calls.clear()

    assert _receive(world, reply_to) == ["answered"]
    assert _receive(world, reply_to) == ["dropped"]  # the same day: no second answer

    (answer,) = _emails(aws_calls)
    assert answer["Destination"]["ToAddresses"] == [ADA]
    simple = answer["Content"]["Simple"]
    headers = {header["Name"]: header["Value"] for header in simple["Headers"]}
    assert headers["Auto-Submitted"] == "auto-replied"
    text = simple["Body"]["Text"]["Data"]
    assert "not delivered" in text
    assert f"/threads/{world['thread_id']}" in text
    assert QUOTED not in text
    assert "2025 return" not in text + simple["Subject"]["Data"]
    assert len(_messages(world)) == 1


def test_with_the_setting_on_a_reply_lands_in_the_thread_stripped_and_marked(world, aws_calls):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    aws_calls.calls.clear()

    assert _receive(world, reply_to) == ["posted"]

    newest, first = _messages(world)
    assert newest["via"] == "email"
    assert newest["author"]["name"] == "Ada"
    assert "Here they are, all twelve." in newest["text"]
    assert QUOTED not in newest["text"]
    assert "wrote:" not in newest["text"]
    assert first["via"] == "portal"
    assert _emails(aws_calls) == []


def test_the_same_reply_delivered_twice_lands_once(world, aws_calls):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    message_id = uuid.uuid4().hex
    message = EmailMessage()
    message["From"] = ADA
    message["To"] = reply_to
    message["Message-ID"] = "<same@acct-1.example>"
    message.set_content("Once only")
    boto3.client("s3").put_object(
        Bucket=INBOUND_MAIL_BUCKET, Key=f"inbound/{message_id}", Body=message.as_bytes()
    )
    passed = {f"{name}Verdict": {"status": "PASS"} for name in ("spam", "virus", "spf", "dkim")}
    event = {
        "Records": [
            {
                "ses": {
                    "mail": {"messageId": message_id, "source": ADA},
                    "receipt": {"recipients": [reply_to], **passed},
                }
            }
        ]
    }

    world["inbound"].invoke(event)
    world["inbound"].invoke(event)

    assert [m["text"] for m in _messages(world)].count("Once only") == 1


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("spam", {"spam": "FAIL"}),
        ("virus", {"virus": "FAIL"}),
        ("failed SPF", {"spf": "FAIL"}),
        ("failed DKIM", {"dkim": "FAIL"}),
        ("failed DMARC", {"dmarc": "FAIL"}),
        ("an auto-reply", {"headers": {"Auto-Submitted": "auto-replied"}}),
        ("bulk mail", {"headers": {"Precedence": "bulk"}}),
        ("list mail", {"headers": {"List-Id": "<news.acct-1.example>"}}),
        ("a null sender", {"mail_from": ""}),
        ("a forged sender", {"sender": "mallory@elsewhere.example"}),
    ],
)
def test_mail_that_must_not_be_answered_is_dropped(world, aws_calls, case, kwargs):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    aws_calls.calls.clear()

    assert _receive(world, reply_to, **kwargs) == ["dropped"], case

    assert _emails(aws_calls) == []
    assert len(_messages(world)) == 1


def test_unknown_tokens_and_other_addresses_come_to_nothing(world, aws_calls):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    firm_id, _, secret = reply_to.removeprefix("reply+").partition("@")[0].partition(".")
    aws_calls.calls.clear()

    for to in (
        f"reply+{firm_id}.{secret[::-1]}@{REPLY_DOMAIN}",
        f"reply+firm-2.{secret}@{REPLY_DOMAIN}",
        f"someone@{REPLY_DOMAIN}",
        reply_to.replace(REPLY_DOMAIN, "elsewhere.example"),
    ):
        assert _receive(world, to) == ["dropped"], to

    assert _emails(aws_calls) == []
    assert len(_messages(world)) == 1


def test_a_reply_to_an_archived_thread_is_not_posted_but_answered(world, aws_calls):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    api = world["api"]
    assert api.call("POST", f"/threads/{world['thread_id']}/archive", OWNER).status == 200
    aws_calls.calls.clear()

    assert _receive(world, reply_to) == ["answered"]

    assert len(_messages(world)) == 1
    assert len(_emails(aws_calls)) == 1


def test_a_reply_without_a_dkim_or_spf_pass_is_answered_not_posted(world, aws_calls):
    _land_replies(world)
    reply_to = _reply_to(aws_calls, ADA)
    aws_calls.calls.clear()

    assert _receive(world, reply_to, spf="GRAY", dkim="GRAY") == ["answered"]

    assert len(_messages(world)) == 1


def test_the_mailto_unsubscribe_turns_notify_off(world, aws_calls):
    (email,) = _emails(aws_calls)
    headers = {header["Name"]: header["Value"] for header in email["Content"]["Simple"]["Headers"]}
    mailto = headers["List-Unsubscribe"].split(",")[1].strip(" <>").removeprefix("mailto:")
    aws_calls.calls.clear()

    assert _receive(world, mailto, text="unsubscribe") == ["unsubscribed"]

    api = world["api"]
    contacts = api.call("GET", "/accounts/acct-1/contacts", OWNER)
    assert [c["notify"] for c in contacts.body if c["contact_id"] == "ada"] == [False]
    body = {"client_id": uuid.uuid4().hex, "body": "<p>Still there?</p>"}
    assert api.call("POST", f"/threads/{world['thread_id']}/messages", OWNER, body).status == 201
    world["worker"].invoke(world["stream"].event())
    assert _emails(aws_calls) == []
