"""Mail received at the reply domain (MS-7): what SES says of it (the receipt's verdicts and
envelope) and what the message says of itself (its headers and text), and the rules that
drop it before anything reads a token.

Dropped without an answer: spam, a virus, a failed SPF, DKIM or DMARC verdict, a null sender
(bounces), and automatic or list mail (RFC 3834 `Auto-Submitted` other than `no`,
`Precedence: bulk/list/junk`, `List-Id`): answering those is how mail loops start.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from enum import StrEnum
from typing import Any, Final

from firmchat.domain.richtext import clean_html, plain_text

VERDICTS: Final = ("spam", "virus", "spf", "dkim", "dmarc")
_PRECEDENCE_DROPPED: Final = frozenset({"bulk", "list", "junk"})
_NULL_SENDERS: Final = frozenset({"", "<>"})


class Mailbox(StrEnum):
    """The local part's prefix of an address at the reply domain: what the token is for."""

    REPLY = "reply"  # Reply-To of every notification email
    UNSUBSCRIBE = "unsubscribe"  # List-Unsubscribe's mailto (RFC 8058's companion)


@dataclass(frozen=True)
class Receipt:
    """One SES receipt record (`Records[].ses`): the message's id (its S3 object's name),
    the envelope sender, the recipients at our domain and the verdicts."""

    message_id: str
    envelope_sender: str
    recipients: tuple[str, ...]
    verdicts: Mapping[str, str]

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "Receipt":
        ses = record["ses"]
        mail, receipt = ses["mail"], ses["receipt"]
        return cls(
            message_id=str(mail["messageId"]),
            envelope_sender=str(mail.get("source", "")).strip(),
            recipients=tuple(str(address) for address in receipt.get("recipients", [])),
            verdicts={
                name: str(receipt.get(f"{name}Verdict", {}).get("status", "NOT_AVAILABLE"))
                for name in VERDICTS
            },
        )

    def failed(self) -> str | None:
        """The first verdict that condemns the message, or None."""
        return next((name for name in VERDICTS if self.verdicts[name] == "FAIL"), None)

    @property
    def sender_proven(self) -> bool:
        """DKIM or SPF passed: the sending domain vouches for the message."""
        return "PASS" in (self.verdicts["dkim"], self.verdicts["spf"])


@dataclass(frozen=True)
class Addressed:
    mailbox: Mailbox
    token: str


_ADDRESS = re.compile(r"^(reply|unsubscribe)\+([A-Za-z0-9_.-]{3,200})@(.+)$", re.IGNORECASE)


def addressed(recipients: Sequence[str], reply_domain: str) -> Addressed | None:
    """The first recipient at the reply domain that carries a token."""
    for recipient in recipients:
        found = _ADDRESS.match(recipient.strip())
        if found and found.group(3).lower() == reply_domain.lower():
            return Addressed(Mailbox(found.group(1).lower()), found.group(2))
    return None


@dataclass(frozen=True)
class InboundMessage:
    """What the raw message says: its author's address (From, lowercased), its Message-ID,
    the headers that mark automatic mail, and its text (the plain part, else the HTML's)."""

    author: str
    message_id: str
    automatic: str | None
    text: str

    @classmethod
    def parse(cls, raw: bytes) -> "InboundMessage":
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        authors = getaddresses([str(value) for value in parsed.get_all("From", [])])
        author = authors[0][1].strip().lower() if len(authors) == 1 else ""
        return cls(
            author=author,
            message_id=str(parsed.get("Message-ID", "")).strip(),
            automatic=_automatic(parsed),
            text=_text_of(parsed),
        )


def _automatic(message: EmailMessage) -> str | None:
    submitted = str(message.get("Auto-Submitted", "no")).split(";")[0].strip().lower()
    if submitted != "no":
        return f"automatic mail (Auto-Submitted: {submitted})"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _PRECEDENCE_DROPPED:
        return f"automatic mail (Precedence: {precedence})"
    if message.get("List-Id") is not None:
        return "list mail (List-Id)"
    return None


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = str(part.get_content())
    except (LookupError, ValueError):  # an unknown charset, a broken encoding
        return ""
    if part.get_content_subtype() == "html":
        return plain_text(clean_html(content))
    return content


def dropped(receipt: Receipt, message: InboundMessage) -> str | None:
    """Why the message is dropped without any answer, or None to go on."""
    failed = receipt.failed()
    if failed is not None:
        return f"{failed} verdict FAIL"
    if receipt.envelope_sender in _NULL_SENDERS or not message.author:
        return "null sender"
    return message.automatic
