"""Cost per million messages on AWS list prices, derived from the requests counted when one
message is posted to a thread whose N receivers are online, beside the naive design that
scans every connection and broadcasts to all.

    python -m bench.cost

Prices: us-east-1, on-demand, list prices as of 2026-11-23 (no free tier, no volume tiers):

- DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read
  request units (since the price cut of 1 November 2024; AWS News Blog post on on-demand,
  updated 31 January 2025, and third-party pricing guides citing the same figures).
- Lambda arm64: $0.20 per million requests, $0.0000133334 per GB-second (first 7.5 billion
  GB-seconds a month; aws.amazon.com/lambda/pricing as quoted by pricing guides).
- API Gateway WebSocket: $1.00 per million messages (sent or received, metered in 32 KB
  increments), $0.25 per million connection minutes (aws.amazon.com/api-gateway/pricing).
- API Gateway HTTP API: $1.00 per million requests (first 300 million a month; same page).
- SES: $0.10 per 1,000 emails sent (from the project brief; not re-checked here); receiving:
  $0.10 per 1,000 emails and $0.09 per 1,000 incoming chunks of 256 KB
  (aws.amazon.com/ses/pricing as quoted by pricing guides).
- S3: $0.0004 per 1,000 GET and $0.005 per 1,000 PUT requests (S3 Standard; storage of a
  received mail for its 7 days is left out).
- EventBridge Scheduler: $1.00 per million invocations (after 14 million free a month,
  left out; aws.amazon.com/eventbridge/pricing as quoted by pricing guides).

What is modelled, and how:

- Request units are computed from the counted requests: a write is ceil(item KB) units
  (Put: the item sent; Update, Delete, ConditionCheck: 1), doubled in a transaction; a
  read is ceil(bytes returned / 4 KB) units, halved when eventually consistent, doubled in
  a transaction. Sizes are those of the wire JSON, a slight overestimate.
- Lambda time is not measurable here (moto answers in-process): each request is assumed to
  take DynamoDB 5 ms, the management API 15 ms, one after the other, plus 10 ms of the
  function's own work; billed at the template's memory size.
- The message arrives as one WebSocket frame (one message) and reaches each receiver's
  socket as one message (frames are far below 32 KB). Connection minutes are paid for being
  online, whatever is posted, and are left out.
- The naive design: one PutItem of the message (1 WRU), one Scan of a connections table
  holding every open connection of the deployment (about 100 bytes each), and one
  PostToConnection to each, with no access policy at all (every firm's people receive every
  message: a design that is both costlier and wrong).
"""

import argparse
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import boto3

from bench.firm_world import (
    INBOUND_MAIL_BUCKET,
    Calls,
    FirmWorld,
    Services,
    Size,
    aws_account,
    new_message,
    recorder,
)
from bench.report import table, write_section
from firmchat.adapters.aws import dynamodb
from firmchat.domain.inbound import VERDICTS, Receipt
from firmchat.domain.people import SettingsChanges
from firmchat.domain.threads import Thread
from localcloud.template import load_template
from testkit.aws_calls import AwsCall

PRICES_AS_OF = "2026-11-23"
DYNAMODB_WRU = 0.625 / 1e6
DYNAMODB_RRU = 0.125 / 1e6
LAMBDA_REQUEST = 0.20 / 1e6
LAMBDA_GB_SECOND = 0.0000133334
WEBSOCKET_MESSAGE = 1.00 / 1e6
WEBSOCKET_CONNECTION_MINUTE = 0.25 / 1e6
HTTP_API_REQUEST = 1.00 / 1e6
SES_EMAIL = 0.10 / 1e3
SES_RECEIVED = 0.10 / 1e3
SES_RECEIVED_CHUNK = 0.09 / 1e3
S3_GET = 0.0004 / 1e3
S3_PUT = 0.005 / 1e3
SCHEDULER_INVOCATION = 1.00 / 1e6

DYNAMODB_SECONDS = 0.005
PUSH_SECONDS = 0.015
OWN_WORK_SECONDS = 0.010
CONNECTION_RECORD_BYTES = 100
RECEIVERS = (10, 50, 100)
DEPLOYMENT_CONNECTIONS = 5_000
BURST = 5  # firm messages in a row in one thread, within the grouping window
NOTIFIED_CONTACTS = 10

_WRITE_KINDS = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}


def _size(item: Any) -> int:
    """About the bytes of an item (its JSON; numbers and sets as text)."""
    return len(json.dumps(item, default=str))


def _units(size: int, per: int) -> int:
    return max(1, math.ceil(size / per))


def _write_units(kind: str, request: dict[str, Any]) -> int:
    return _units(_size(request["Item"]), 1024) if kind == "Put" else 1


def write_units(call: AwsCall) -> float:
    """The write request units of one DynamoDB request (0 for reads)."""
    if call.operation in _WRITE_KINDS:
        return _write_units(_WRITE_KINDS[call.operation], call.body)
    if call.operation == "TransactWriteItems":
        entries = [next(iter(entry.items())) for entry in call.body["TransactItems"]]
        return 2 * sum(_write_units(kind, request) for kind, request in entries)
    if call.operation == "BatchWriteItem":
        requests = [r for table in call.body["RequestItems"].values() for r in table]
        return sum(
            _write_units("Put", r["PutRequest"]) if "PutRequest" in r else 1 for r in requests
        )
    return 0


_READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})


def _returned(operation: str, parsed: dict[str, Any]) -> list[Any]:
    if operation == "GetItem":
        return [parsed["Item"]] if "Item" in parsed else []
    if operation == "BatchGetItem":
        return [item for items in parsed.get("Responses", {}).values() for item in items]
    if operation == "TransactGetItems":
        return [entry["Item"] for entry in parsed.get("Responses", []) if "Item" in entry]
    return list(parsed.get("Items", []))


def read_units(operation: str, body: dict[str, Any], parsed: dict[str, Any]) -> float:
    """The read request units of one DynamoDB read, from the items its response carried."""
    sizes = [_size(item) for item in _returned(operation, parsed)]
    requested = [body, *(body.get("RequestItems") or {}).values()]
    consistent = any(isinstance(part, dict) and part.get("ConsistentRead") for part in requested)
    scale = 2.0 if operation == "TransactGetItems" else 1.0 if consistent else 0.5
    if operation in ("GetItem", "Query", "Scan"):  # one request: its total rounds up
        return scale * _units(sum(sizes), 4096)
    return scale * sum(_units(size, 4096) for size in sizes)  # each item rounds up


@dataclass
class Responses:
    """The parsed responses of the adapters' DynamoDB client, in order."""

    parsed: list[dict[str, Any]] = field(default_factory=list)

    def on_response(self, parsed: dict[str, Any], **_: Any) -> None:
        self.parsed.append(parsed)


@contextmanager
def dynamodb_responses() -> Iterator[Responses]:
    events, responses = dynamodb().meta.client.meta.events, Responses()
    events.register("after-call.dynamodb", responses.on_response)
    try:
        yield responses
    finally:
        events.unregister("after-call.dynamodb", responses.on_response)


@dataclass(frozen=True)
class Usage:
    """What one message consumes (on average, for a burst's notifications)."""

    design: str
    read_units: float
    write_units: float
    dynamodb_requests: float
    pushes: float
    frames_in: float = 1  # the message's own WebSocket frame (none for notifications)
    invocations: float = 1
    emails: float = 0
    schedules: float = 0
    received: float = 0  # emails SES received (a reply by email: one chunk each)
    s3_gets: float = 0

    @property
    def lambda_seconds(self) -> float:
        return (
            OWN_WORK_SECONDS * self.invocations
            + self.dynamodb_requests * DYNAMODB_SECONDS
            + self.pushes * PUSH_SECONDS
        )

    def dollars_per_million(self, memory_mb: int) -> dict[str, float]:
        gb_seconds = self.lambda_seconds * memory_mb / 1024
        per_message = {
            "DynamoDB": self.read_units * DYNAMODB_RRU + self.write_units * DYNAMODB_WRU,
            "WebSocket": (self.frames_in + self.pushes) * WEBSOCKET_MESSAGE,
            "Lambda": self.invocations * LAMBDA_REQUEST + gb_seconds * LAMBDA_GB_SECOND,
            "SES": self.emails * SES_EMAIL + self.received * (SES_RECEIVED + SES_RECEIVED_CHUNK),
            "S3": self.s3_gets * S3_GET + self.received * S3_PUT,
            "Scheduler": self.schedules * SCHEDULER_INVOCATION,
        }
        return {name: dollars * 1e6 for name, dollars in per_message.items()}


def _units_read(calls: Calls, responses: Responses) -> float:
    requests = calls.of("dynamodb")  # one response each, in the same order
    return sum(
        read_units(call.operation, call.body, parsed)
        for call, parsed in zip(requests, responses.parsed, strict=True)
        if call.operation in _READS
    )


def firmchat_usage(services: Services, receivers: int) -> Usage:
    """Counts one post by a contact to a thread whose `receivers` people are all online (half
    the account's contacts, half the firm's members assigned to it; the poster is one)."""
    contacts = receivers // 2
    size = Size(
        f"{receivers}", threads=1, messages=1, contacts=contacts, members=receivers - contacts
    )
    world = FirmWorld(services, size, f"firm-{receivers}")
    with recorder.recording() as calls, dynamodb_responses() as responses:
        services.messages.post(world.signed_in("client"), world.thread.thread_id, new_message())
    return Usage(
        design=f"firmchat, {receivers} receivers online",
        read_units=_units_read(calls, responses),
        write_units=sum(write_units(call) for call in calls.of("dynamodb")),
        dynamodb_requests=calls.count("dynamodb"),
        pushes=calls.count("apigatewaymanagementapi", "PostToConnection"),
    )


def notification_usage(services: Services, contacts: int, group_minutes: int) -> Usage:
    """The notifications of a burst of BURST firm messages in one thread whose account has
    `contacts` notified contacts (each online), per message: the stream worker's work for
    each, and the follow-up at the end of the burst when grouped."""
    label = f"n{contacts}-{group_minutes}"
    world = FirmWorld(services, Size(label, 1, 1, contacts, 1), f"firm-{label}")
    changes = SettingsChanges(client_email_group_minutes=group_minutes)
    services.people.change_settings(world.signed_in("owner"), changes)
    owner = world.signed_in("owner")
    thread_id = world.new_thread("A burst").thread_id
    for _ in range(BURST - 1):
        services.quiet_messages.post(owner, thread_id, new_message())
    thread = services.thread_store.get(world.firm_id, thread_id)
    assert thread is not None
    messages = [services.thread_store.message(thread, seq) for seq in range(1, BURST + 1)]
    with recorder.recording() as calls, dynamodb_responses() as responses:
        for message in messages:
            services.message_notifications.message_posted(world.firm_id, message)
        follow_ups = 0
        for number in range(contacts if group_minutes else 0):
            contact_id = f"contact-{number}"
            burst = services.email_groups.get(world.firm_id, thread_id, contact_id)
            if burst is not None:
                follow_ups += 1
                services.client_emails.follow_up(
                    world.firm_id, thread_id, contact_id, burst.until.isoformat()
                )
    grouped = f"grouped ({group_minutes} min)" if group_minutes else "not grouped"
    return Usage(
        design=f"notifications of a firm message, {contacts} contacts, {grouped}",
        read_units=_units_read(calls, responses) / BURST,
        write_units=sum(write_units(call) for call in calls.of("dynamodb")) / BURST,
        dynamodb_requests=calls.count("dynamodb") / BURST,
        pushes=calls.count("apigatewaymanagementapi", "PostToConnection") / BURST,
        frames_in=0,
        invocations=(BURST + follow_ups) / BURST,
        emails=calls.count("sesv2", "SendEmail") / BURST,
        schedules=follow_ups / BURST,
    )


def _reply_by_email(world: FirmWorld, thread: Thread, text: str) -> Receipt:
    """A reply of contact-0 to their email about `thread`, stored as the receipt rule does."""
    contact = world.services.people_store.contact(world.firm_id, thread.account_id, "contact-0")
    assert contact is not None
    reply_to = world.services.reply_addresses.reply_to(thread, contact_id=contact.contact_id)
    message = EmailMessage()
    message["From"], message["To"], message["Message-ID"] = contact.email, reply_to, "<r@x>"
    message.set_content(text)
    message_id = f"reply-{world.firm_id}"
    boto3.client("s3").put_object(
        Bucket=INBOUND_MAIL_BUCKET, Key=f"inbound/{message_id}", Body=message.as_bytes()
    )
    passed = {"status": "PASS"}
    return Receipt(
        message_id, contact.email, (reply_to,), dict.fromkeys(VERDICTS, passed["status"])
    )


def reply_usage(services: Services, receivers: int, *, landed: bool) -> Usage:
    """One reply by email to a thread whose `receivers` people are online: landed in the
    thread (the firm's setting on; its pushes counted), or answered kindly (off)."""
    contacts = receivers // 2
    label = f"r{receivers}-{landed}"
    size = Size(label, threads=1, messages=1, contacts=contacts, members=receivers - contacts)
    world = FirmWorld(services, size, f"firm-{label}")
    services.people.change_settings(
        world.signed_in("owner"), SettingsChanges(land_email_replies=landed)
    )
    thread = services.thread_store.get(world.firm_id, world.thread.thread_id)
    assert thread is not None
    receipt = _reply_by_email(world, thread, "Here they are.\n\n> quoted history")
    with recorder.recording() as calls, dynamodb_responses() as responses:
        outcome = services.replies.receive(receipt)
    assert outcome.outcome == ("posted" if landed else "answered"), outcome
    what = "landed in the thread" if landed else "answered kindly"
    return Usage(
        design=f"a reply by email, {what}, {receivers} receivers online",
        read_units=_units_read(calls, responses),
        write_units=sum(write_units(call) for call in calls.of("dynamodb")),
        dynamodb_requests=calls.count("dynamodb"),
        pushes=calls.count("apigatewaymanagementapi", "PostToConnection"),
        frames_in=0,
        emails=calls.count("sesv2", "SendEmail"),
        received=1,
        s3_gets=calls.count("s3", "GetObject"),
    )


def naive_usage(connections: int) -> Usage:
    """PutItem of the message, Scan of every connection, a push to each."""
    return Usage(
        design=f"naive scan + broadcast, {connections:,} online",
        read_units=0.5 * _units(connections * CONNECTION_RECORD_BYTES, 4096),
        write_units=1,
        dynamodb_requests=2,
        pushes=connections,
    )


def measure(receivers: tuple[int, ...]) -> list[Usage]:
    usages = []
    for count in receivers:
        with aws_account():  # a fresh account each: moto keeps every stream record
            usages.append(firmchat_usage(Services(), count))
        usages.append(naive_usage(count))
    usages.append(naive_usage(DEPLOYMENT_CONNECTIONS))
    for minutes in (0, 5):
        with aws_account():
            usages.append(notification_usage(Services(), NOTIFIED_CONTACTS, minutes))
    for landed in (False, True):
        with aws_account():
            usages.append(reply_usage(Services(), NOTIFIED_CONTACTS, landed=landed))
    return usages


def function_globals() -> tuple[int, int]:
    """The template's memory size (MB) and timeout (s) of every function."""
    settings = load_template()["Globals"]["Function"]
    return int(settings["MemorySize"]), int(settings["Timeout"])


def render(usages: list[Usage]) -> str:
    memory, timeout = function_globals()
    rows = []
    for usage in usages:
        dollars = usage.dollars_per_million(memory)
        over = " (over the timeout)" if usage.lambda_seconds > timeout else ""
        rows.append(
            [
                usage.design,
                f"{usage.dynamodb_requests:g}",
                f"{usage.read_units:g}",
                f"{usage.write_units:g}",
                f"{usage.pushes:g}",
                f"{usage.lambda_seconds * 1000:,.0f}{over}",
                *(f"{value:,.2f}" for value in dollars.values()),
                f"{sum(dollars.values()):,.2f}",
            ]
        )
    header = ["design", "DynamoDB requests", "RRU", "WRU", "pushes", "Lambda ms (model)"]
    prices = ["$ DynamoDB", "$ WebSocket", "$ Lambda", "$ SES", "$ S3", "$ Scheduler"]
    return table([*header, *prices, "$ total"], rows)


def ses_summary(usages: list[Usage]) -> str:
    """SES alone, per million firm messages, not grouped beside grouped."""
    memory, _ = function_globals()
    rows = [
        [usage.design, f"{usage.emails:g}", f"{usage.dollars_per_million(memory)['SES']:,.2f}"]
        for usage in usages
        if usage.design.startswith("notifications of a firm message")
    ]
    return table(["notifications", "emails per message", "$ SES per million messages"], rows)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--receivers", type=int, nargs="+", default=list(RECEIVERS))
    arguments = parser.parse_args(argv)
    usages = measure(tuple(arguments.receivers))
    body = render(usages)
    ses = ses_summary(usages)
    prices = (__doc__ or "").split("Prices: ", 1)[1]
    write_section(
        "Cost per million messages",
        "python -m bench.cost",
        f"""Dollars per million messages posted (one message, with its pushes), by service,
at AWS list prices. Per-message figures come from the requests counted when a contact posts
to a thread whose receivers are all online, each on one socket (the `requests_per_operation`
harness). The firm's connected people are loaded in batches (two BatchGetItem per 100)
to apply the access policy, so firmchat's requests stay flat while its read units grow with
who is online; the naive design reads less but
pushes to everyone online in the deployment, whichever firm they belong to. "Over the
timeout" marks a modelled Lambda time beyond the template's function timeout: the pushes
are sent one after the other.

The last rows are the notifications of a firm message (the stream worker's inbox entries
and client emails, each contact online), averaged over a burst of {BURST} firm messages in
one thread: not grouped, every message emails every contact; grouped, each contact gets the
first at once and one follow-up (one schedule invocation and one more function call each).
SES alone, per million firm messages:

{ses}

The two rows after them are one reply by email (MS-7) received by SES, stored in S3 and read
by the inbound_email function: answered kindly (one email sent) or landed in the thread (the
message posted as its sender, with its pushes to everyone online).

Prices: {prices.strip()}

{body}""",
    )
    return body


if __name__ == "__main__":
    print(main())
