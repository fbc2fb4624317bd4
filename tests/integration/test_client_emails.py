"""Client emails (NT-1) from the stream: every notified contact of the account gets one email
per firm message, once, whatever the stream redelivers; content hidden unless the firm
shows it, and then without embeds or images; each one unsubscribed in one click (RFC 8058)."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from firmchat.adapters.links import DynamoLinkTokens
from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.domain.people import Contact
from firmchat.domain.principal import FirmSettings
from firmchat.root import Root
from testkit.fakes import FakeClock
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-ada")
SECRET = "The refund is 4,210"


@pytest.fixture
def world(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject, settings=FirmSettings(client_email_group_minutes=0))
    seeder.account(FIRM, "acct-1")
    seeder.account(FIRM, "acct-2")
    seeder.client_user(FIRM, "acct-1", "ada", CLIENT.subject)
    seeder.client_user(FIRM, "acct-1", "bea", "sub-bea")
    quiet = seeder.client_user(FIRM, "acct-1", "cal", "sub-cal")
    Root().people_store.add_contact(
        Contact(
            firm_id=FIRM,
            account_id="acct-1",
            contact_id="dee",
            name="Dee",
            email="dee@acct-1.example",
            portal_access=True,
        )
    )
    seeder.client_user(FIRM, "acct-2", "eve", "sub-eve")
    api = HttpApi(lambda_function("HttpApiFunction"))
    assert (
        api.call("PATCH", f"/accounts/acct-1/contacts/{quiet.contact_id}", OWNER, {"notify": False})
    ).status == 200
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    worker = lambda_function("StreamWorkerFunction")
    worker.invoke(stream.event())  # the seeding's own changes
    return {"api": api, "worker": worker, "stream": stream}


def _new_thread(api: HttpApi, body: str = f"<p>{SECRET}</p>") -> str:
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "2025 return",
            "message": {"client_id": uuid.uuid4().hex, "body": body},
        },
    )
    assert answer.status == 201, answer.body
    return str(answer.body["thread_id"])


def _post(api: HttpApi, thread_id: str, sign_in: SignIn, body: str) -> None:
    answer = api.call(
        "POST",
        f"/threads/{thread_id}/messages",
        sign_in,
        {"client_id": uuid.uuid4().hex, "body": body},
    )
    assert answer.status == 201, answer.body


def _emails(aws_calls) -> list[dict[str, Any]]:
    return [call.body for call in aws_calls.of("sesv2", "SendEmail")]


def _to(emails: list[dict[str, Any]]) -> list[str]:
    return sorted(address for email in emails for address in email["Destination"]["ToAddresses"])


def _text(email: dict[str, Any]) -> str:
    return str(email["Content"]["Simple"]["Body"]["Text"]["Data"])


def _html(email: dict[str, Any]) -> str:
    return str(email["Content"]["Simple"]["Body"]["Html"]["Data"])


def _run(world) -> dict[str, Any]:
    event: dict[str, Any] = world["stream"].event()
    assert world["worker"].invoke(event) == {"batchItemFailures": []}
    return event


def test_a_new_thread_reaches_each_notified_contact_once_with_its_content_hidden(world, aws_calls):
    thread_id = _new_thread(world["api"])
    _run(world)

    emails = _emails(aws_calls)
    assert _to(emails) == ["ada@acct-1.example", "bea@acct-1.example"]
    for email in emails:
        assert SECRET not in _text(email)
        assert SECRET not in _html(email)
        assert "2025 return" not in email["Content"]["Simple"]["Subject"]["Data"]
        assert f"/threads/{thread_id}" in _text(email)
        assert f"/threads/{thread_id}" in _html(email)
        assert "Firm firm-1" in _text(email)
        assert "Client acct-1" in _text(email)


def test_the_same_batch_delivered_twice_sends_nothing_twice(world, aws_calls):
    _new_thread(world["api"])
    event = _run(world)
    first = len(_emails(aws_calls))

    assert world["worker"].invoke(event) == {"batchItemFailures": []}

    assert first == 2
    assert len(_emails(aws_calls)) == first


def test_content_is_shown_once_the_firm_turns_it_on_without_embeds_or_images(world, aws_calls):
    api = world["api"]
    thread_id = _new_thread(api)
    _run(world)
    assert (
        api.call("PATCH", "/settings", OWNER, {"show_content_in_client_emails": True}).status == 200
    )
    _post(
        api,
        thread_id,
        OWNER,
        f'<p>{SECRET}</p><iframe src="https://youtu.be/dQw4w9WgXcQ"></iframe>',
    )
    aws_calls.calls.clear()
    _run(world)

    emails = _emails(aws_calls)
    assert _to(emails) == ["ada@acct-1.example", "bea@acct-1.example"]
    for email in emails:
        assert SECRET in _text(email)
        assert SECRET in _html(email)
        assert "<iframe" not in _html(email)
        assert 'href="https://www.youtube.com/embed/dQw4w9WgXcQ"' in _html(email)
        assert "2025 return" in email["Content"]["Simple"]["Subject"]["Data"]


def test_a_clients_own_message_emails_no_client(world, aws_calls):
    thread_id = _new_thread(world["api"])
    _run(world)
    aws_calls.calls.clear()

    _post(world["api"], thread_id, CLIENT, "<p>Thanks</p>")
    _run(world)

    assert _emails(aws_calls) == []


def test_a_message_whose_thread_was_archived_before_delivery_is_not_emailed(world, aws_calls):
    api = world["api"]
    thread_id = _new_thread(api)
    _run(world)
    _post(api, thread_id, OWNER, "<p>One more thing</p>")
    assert api.call("POST", f"/threads/{thread_id}/archive", OWNER).status == 200
    aws_calls.calls.clear()

    _run(world)

    assert _emails(aws_calls) == []


def _unsubscribe_links(email: dict[str, Any]) -> tuple[str, str]:
    headers = {header["Name"]: header["Value"] for header in email["Content"]["Simple"]["Headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = (link.strip(" <>") for link in headers["List-Unsubscribe"].split(","))
    return https, mailto


def _recipient(email: dict[str, Any]) -> str:
    return str(email["Destination"]["ToAddresses"][0])


def test_every_client_email_can_be_unsubscribed_in_one_click(world, aws_calls):
    api = world["api"]
    thread_id = _new_thread(api)
    _run(world)
    links = {_recipient(email): _unsubscribe_links(email) for email in _emails(aws_calls)}
    https, mailto = links["ada@acct-1.example"]
    token = https.rsplit("/unsubscribe/", 1)[1]
    assert https.startswith("https://") or https.startswith("http://")
    assert mailto == f"mailto:unsubscribe+{token}@reply.firmchat.localhost"
    assert links["bea@acct-1.example"][0] != https  # one token per contact

    page = api.call("GET", f"/unsubscribe/{token}")
    assert page.status == 200
    assert "ada@acct-1.example" in page.body
    assert 'method="post"' in page.body
    aws_calls.calls.clear()
    _post(api, thread_id, OWNER, "<p>Still there?</p>")
    _run(world)
    assert _to(_emails(aws_calls)) == ["ada@acct-1.example", "bea@acct-1.example"]

    done = api.call("POST", f"/unsubscribe/{token}")
    assert done.status == 200
    assert "unsubscribed" in done.body
    assert api.call("POST", f"/unsubscribe/{token}").status == 200  # again: still off
    aws_calls.calls.clear()
    _post(api, thread_id, OWNER, "<p>And now?</p>")
    _run(world)
    assert _to(_emails(aws_calls)) == ["bea@acct-1.example"]


def test_a_forged_unsubscribe_token_changes_nothing(world, aws_calls):
    api = world["api"]
    thread_id = _new_thread(api)
    _run(world)
    token = _unsubscribe_links(_emails(aws_calls)[0])[0].rsplit("/unsubscribe/", 1)[1]
    firm_id, _, secret = token.partition(".")
    for forged in (f"{firm_id}.{secret[::-1]}", f"firm-2.{secret}", "nodot", "a.b"):
        for method in ("GET", "POST"):
            answer = api.call(method, f"/unsubscribe/{forged}")
            assert answer.status == 404
            # a page for the person who clicked, the API's one 4xx that is not a problem body
            assert (answer.content_type or "").startswith("text/html")
            assert "nothing was changed" in answer.body
    malformed = api.call("POST", "/unsubscribe/bad%20token")
    assert (malformed.status, malformed.content_type) == (422, "application/problem+json")

    aws_calls.calls.clear()
    _post(api, thread_id, OWNER, "<p>Still there?</p>")
    _run(world)
    assert _to(_emails(aws_calls)) == ["ada@acct-1.example", "bea@acct-1.example"]


def test_an_unsubscribe_link_expires(core_settings):
    clock = FakeClock(datetime(2026, 12, 2, tzinfo=UTC))
    links = DynamoLinkTokens(Root().table, clock)
    grant = LinkGrant(
        purpose=LinkPurpose.UNSUBSCRIBE,
        firm_id=FIRM,
        account_id="acct-1",
        contact_id="ada",
        expires_at=clock.now() + timedelta(days=60),
    )
    token = links.issue(grant)

    assert links.find(token, LinkPurpose.UNSUBSCRIBE) == grant
    assert links.find(token, LinkPurpose.REPLY) is None
    clock.at += timedelta(days=60)
    assert links.find(token, LinkPurpose.UNSUBSCRIBE) is None


def test_a_burst_is_emailed_at_once_then_folded_into_one_scheduled_follow_up(
    world, aws_calls, lambda_function
):
    api = world["api"]
    grouped = {"client_email_group_minutes": 5}
    assert api.call("PATCH", "/settings", OWNER, grouped).status == 200
    thread_id = _new_thread(api)
    for n in range(4):
        _post(api, thread_id, OWNER, f"<p>And {n}</p>")
    _run(world)
    assert _to(_emails(aws_calls)) == ["ada@acct-1.example", "bea@acct-1.example"]

    scheduler = boto3.client("scheduler")
    schedules = [
        scheduler.get_schedule(Name=found["Name"], GroupName=found["GroupName"])
        for found in scheduler.list_schedules()["Schedules"]
    ]
    assert len(schedules) == 2  # one per contact
    for schedule in schedules:
        assert schedule["ScheduleExpression"].startswith("at(")
        assert schedule["ActionAfterCompletion"] == "DELETE"
        assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
        assert "Arn" in schedule["Target"]["DeadLetterConfig"]
    assert {schedule["GroupName"] for schedule in schedules} == {"firmchat-notifications-dev"}

    assert api.call("POST", f"/threads/{thread_id}/read", CLIENT, {}).status in (200, 204)
    follow_up = lambda_function("ClientEmailFollowUpFunction")
    aws_calls.calls.clear()
    for schedule in schedules:
        follow_up.invoke(json.loads(schedule["Target"]["Input"]))
    assert _to(_emails(aws_calls)) == ["bea@acct-1.example"]  # Ada read them meanwhile
    (email,) = _emails(aws_calls)
    assert f"/threads/{thread_id}" in _text(email)
    assert SECRET not in _text(email)
