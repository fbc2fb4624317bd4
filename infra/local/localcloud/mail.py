"""Mail: what SES sent, and a door for inbound mail.

moto accepts SES sends but keeps only one body of a simple message (HTML when both are
given), so the outbox is recorded from the requests themselves, on their way into moto:
SES v1 `SendEmail`/`SendRawEmail` and SESv2 `SendEmail` (simple or raw), once moto has
accepted them. Inbound mail is delivered as SES would: the raw message stored where the template's
`AWS::SES::ReceiptRule` S3 action puts it, then its Lambda action's function invoked with the
receipt event (verdicts and envelope settable by the caller); without a rule the door says so.
"""

import asyncio
import base64
import html
import io
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from localcloud.aws import LocalAws
from localcloud.lambdas import LocalFunctions
from localcloud.template import Resolver, resources_of_type

type Environ = dict[str, Any]
type StartResponse = Callable[..., Any]
type WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class SentMail:
    message_id: str
    sent_at: str
    source: str
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    text: str | None
    html: str | None
    reply_to: list[str] = field(default_factory=list)
    # The headers the sender set beyond SES's own (List-Unsubscribe, Auto-Submitted...).
    headers: dict[str, str] = field(default_factory=dict)


def _from_mime(message_id: str, raw: bytes, source: str, recipients: list[str]) -> SentMail:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    bodies = {}
    for kind in ("plain", "html"):
        part = parsed.get_body(preferencelist=(kind,))
        bodies[kind] = str(part.get_content()) if part is not None else None
    return SentMail(
        message_id=message_id,
        sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=source or str(parsed.get("From", "")),
        to=recipients or [str(address) for address in parsed.get_all("To", [])],
        cc=[str(address) for address in parsed.get_all("Cc", [])],
        bcc=[],
        subject=str(parsed.get("Subject", "")),
        text=bodies["plain"],
        html=bodies["html"],
        reply_to=[str(address) for address in parsed.get_all("Reply-To", [])],
        headers={name: str(value) for name, value in parsed.items()},
    )


def _sesv1(form: Mapping[str, list[str]], message_id: str) -> SentMail | None:
    def one(name: str) -> str | None:
        return form.get(name, [None])[0]

    def members(prefix: str) -> list[str]:
        numbered = sorted(
            (int(name.rsplit(".", 1)[1]), values[0])
            for name, values in form.items()
            if name.startswith(prefix + ".member.")
        )
        return [value for _, value in numbered]

    action = one("Action")
    if action == "SendRawEmail":
        raw = base64.b64decode(one("RawMessage.Data") or "")
        return _from_mime(message_id, raw, one("Source") or "", members("Destinations"))
    if action != "SendEmail":
        return None
    return SentMail(
        message_id=message_id,
        sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=one("Source") or "",
        to=members("Destination.ToAddresses"),
        cc=members("Destination.CcAddresses"),
        bcc=members("Destination.BccAddresses"),
        subject=one("Message.Subject.Data") or "",
        text=one("Message.Body.Text.Data"),
        html=one("Message.Body.Html.Data"),
        reply_to=members("ReplyToAddresses"),
    )


def _sesv2(request: Mapping[str, Any], message_id: str) -> SentMail:
    destination = request.get("Destination", {})
    content = request.get("Content", {})
    recipients = [
        *destination.get("ToAddresses", []),
        *destination.get("CcAddresses", []),
        *destination.get("BccAddresses", []),
    ]
    if "Raw" in content:
        raw = base64.b64decode(content["Raw"]["Data"])
        return _from_mime(message_id, raw, request.get("FromEmailAddress", ""), recipients)
    simple = content.get("Simple", {})
    body = simple.get("Body", {})
    return SentMail(
        message_id=message_id,
        sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=request.get("FromEmailAddress", ""),
        to=destination.get("ToAddresses", []),
        cc=destination.get("CcAddresses", []),
        bcc=destination.get("BccAddresses", []),
        subject=simple.get("Subject", {}).get("Data", ""),
        text=body.get("Text", {}).get("Data"),
        html=body.get("Html", {}).get("Data"),
        reply_to=request.get("ReplyToAddresses", []),
        headers={header["Name"]: header["Value"] for header in simple.get("Headers", [])},
    )


@dataclass
class Outbox:
    """Every message SES accepted, oldest first."""

    messages: list[SentMail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, path: str, body: bytes, response: bytes) -> None:
        if path.rstrip("/") == "/v2/email/outbound-emails":
            message_id = json.loads(response).get("MessageId", "")
            sent: SentMail | None = _sesv2(json.loads(body), message_id)
        else:
            found = re.search(rb"<MessageId>([^<]+)</MessageId>", response)
            message_id = found.group(1).decode() if found else ""
            sent = _sesv1(parse_qs(body.decode("utf-8", errors="replace")), message_id)
        if sent is not None:
            with self._lock:
                self.messages.append(sent)

    def snapshot(self) -> list[SentMail]:
        with self._lock:
            return list(self.messages)

    def recorder(self, app: WsgiApp) -> WsgiApp:
        """WSGI middleware for moto's server: records the SES sends moto accepts."""

        def record_sends(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            is_v2 = path.rstrip("/") == "/v2/email/outbound-emails"
            if environ.get("REQUEST_METHOD") != "POST" or not (is_v2 or path in ("", "/")):
                return app(environ, start_response)
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            if not is_v2 and b"Action=Send" not in body:
                environ["wsgi.input"] = io.BytesIO(body)
                return app(environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            status: list[str] = []

            def remember_status(code: str, *rest: Any) -> Any:
                status.append(code)
                return start_response(code, *rest)

            response = b"".join(app(environ, remember_status))
            if status and status[0].startswith("200"):
                self.record(path, body, response)
            return [response]

        return record_sends


def _page(messages: list[SentMail]) -> str:
    rows = []
    for sent in reversed(messages):
        recipients = html.escape(", ".join([*sent.to, *sent.cc, *sent.bcc]))
        text = f"<pre>{html.escape(sent.text)}</pre>" if sent.text else ""
        # The HTML body is shown in a sandboxed frame: rendered, but unable to run script.
        rendered = (
            f'<iframe sandbox srcdoc="{html.escape(sent.html)}"></iframe>' if sent.html else ""
        )
        extra = {
            **({"Reply-To": ", ".join(sent.reply_to)} if sent.reply_to else {}),
            **sent.headers,
        }
        headers = "".join(
            f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>"
            for name, value in extra.items()
        )
        rows.append(
            f"<article><h2>{html.escape(sent.subject)}</h2>"
            f"<p>{html.escape(sent.sent_at)} · from {html.escape(sent.source)} · to {recipients}"
            f"</p><dl>{headers}</dl>{text}{rendered}</article>"
        )
    return (
        "<!doctype html><meta charset=utf-8><title>Local mail</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "article{border-bottom:1px solid #ccc}iframe{width:100%;height:20em}</style>"
        f"<h1>Sent by SES ({len(messages)})</h1>" + ("".join(rows) or "<p>Nothing sent yet.</p>")
    )


@dataclass(frozen=True)
class InboundRule:
    """The first receipt rule with a Lambda action: its function, and where its S3 action
    (when it has one) stores the message."""

    function_arn: str
    bucket: str | None
    key_prefix: str

    @classmethod
    def from_template(cls, resolver: Resolver) -> "InboundRule | None":
        for resource in resources_of_type(resolver.template, "AWS::SES::ReceiptRule").values():
            actions = resolver.resolve(resource["Properties"]["Rule"].get("Actions", []))
            stores = [action["S3Action"] for action in actions if "S3Action" in action]
            store: dict[str, Any] = stores[0] if stores else {}
            for action in actions:
                if "LambdaAction" in action:
                    return cls(
                        function_arn=action["LambdaAction"]["FunctionArn"],
                        bucket=store.get("BucketName"),
                        key_prefix=store.get("ObjectKeyPrefix", ""),
                    )
        return None


VERDICTS = ("spam", "virus", "spf", "dkim", "dmarc")


@dataclass(frozen=True)
class Envelope:
    """What SES knows of a message beyond its text: the SMTP envelope and its verdicts.
    Each defaults to what a well-behaved sender gets (the From and To headers, PASS); a test
    sets them to send what SES would call spam, a failed SPF check or a bounce."""

    mail_from: str | None = None  # "" for a null sender (a bounce)
    recipients: tuple[str, ...] = ()
    verdicts: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_request(cls, query: Mapping[str, str]) -> "Envelope":
        unknown = set(query) - {*VERDICTS, "mail_from", "to"}
        if unknown:
            raise ValueError(f"unknown parameters: {sorted(unknown)}")
        return cls(
            mail_from=query.get("mail_from"),
            recipients=tuple(a for a in query.get("to", "").split(",") if a),
            verdicts={name: query[name].upper() for name in VERDICTS if name in query},
        )


def _addresses(message: EmailMessage, header: str) -> list[str]:
    return [address for _, address in getaddresses(message.get_all(header, [])) if address]


def _receipt_event(
    message: EmailMessage, function_arn: str, message_id: str, envelope: Envelope
) -> dict[str, Any]:
    """The event SES gives a receipt rule's Lambda action."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    recipients = list(envelope.recipients) or _addresses(message, "To")
    authors = _addresses(message, "From")
    sender = envelope.mail_from if envelope.mail_from is not None else ", ".join(authors)

    def verdict(name: str) -> dict[str, str]:
        return {"status": envelope.verdicts.get(name, "PASS")}

    return {
        "Records": [
            {
                "eventSource": "aws:ses",
                "eventVersion": "1.0",
                "ses": {
                    "mail": {
                        "timestamp": now,
                        "source": sender,
                        "messageId": message_id,
                        "destination": recipients,
                        "headersTruncated": False,
                        "headers": [
                            {"name": name, "value": str(value)} for name, value in message.items()
                        ],
                        "commonHeaders": {
                            "from": authors,
                            "to": recipients,
                            "messageId": str(message.get("Message-ID", "")),
                            "subject": str(message.get("Subject", "")),
                        },
                    },
                    "receipt": {
                        "timestamp": now,
                        "processingTimeMillis": 1,
                        "recipients": recipients,
                        "spamVerdict": verdict("spam"),
                        "virusVerdict": verdict("virus"),
                        "spfVerdict": verdict("spf"),
                        "dkimVerdict": verdict("dkim"),
                        "dmarcVerdict": verdict("dmarc"),
                        "action": {
                            "type": "Lambda",
                            "functionArn": function_arn,
                            "invocationType": "Event",
                        },
                    },
                },
            }
        ]
    }


def mail_routes(
    outbox: Outbox, resolver: Resolver, functions: LocalFunctions, aws: LocalAws
) -> list[Route]:
    inbound = InboundRule.from_template(resolver)
    receiver = functions.by_arn(inbound.function_arn) if inbound else None

    async def page(request: Request) -> Response:
        return HTMLResponse(_page(outbox.snapshot()))

    async def listing(request: Request) -> Response:
        return JSONResponse([asdict(sent) for sent in outbox.snapshot()])

    async def receive(request: Request) -> Response:
        """Body: a whole message (`message/rfc822`), or JSON {from, to, subject, text,
        headers}. The query may set the envelope and verdicts (`Envelope`): `?spf=FAIL`,
        `?mail_from=` (a null sender), `?to=a@x,b@y`."""
        if inbound is None or receiver is None:
            return JSONResponse(
                {
                    "message": "no function receives inbound mail: template.yaml has no "
                    "AWS::SES::ReceiptRule with a LambdaAction"
                },
                status_code=404,
            )
        try:
            envelope = Envelope.of_request(request.query_params)
        except ValueError as error:
            return JSONResponse({"message": str(error)}, status_code=400)
        body = await request.body()
        if request.headers.get("content-type", "").startswith("application/json"):
            fields = json.loads(body)
            composed = EmailMessage()
            composed["From"] = fields["from"]
            composed["To"] = ", ".join(fields["to"])
            composed["Subject"] = fields.get("subject", "")
            for name, value in fields.get("headers", {}).items():
                composed[name] = value
            composed.set_content(fields.get("text", ""))
            body = composed.as_bytes()
        message = message_from_bytes(body, policy=policy.default)
        assert isinstance(message, EmailMessage)
        message_id = uuid.uuid4().hex
        if inbound.bucket is not None:
            aws.session.client("s3", endpoint_url=aws.endpoint).put_object(
                Bucket=inbound.bucket, Key=inbound.key_prefix + message_id, Body=body
            )
        event = _receipt_event(message, inbound.function_arn, message_id, envelope)
        result = await asyncio.to_thread(receiver.invoke, event)
        return JSONResponse({"messageId": message_id, "result": result}, status_code=202)

    return [
        Route("/_local/mail", page, methods=["GET"]),
        Route("/_local/mail.json", listing, methods=["GET"]),
        Route("/_local/inbound-mail", receive, methods=["POST"]),
    ]
