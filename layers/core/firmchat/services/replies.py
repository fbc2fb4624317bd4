"""Replies to notification emails (MS-7) and unsubscribing by mail (RFC 8058's mailto).

Every notification email names a Reply-To of its own, `reply+<token>@<reply domain>`: the
token (firmchat.adapters.links) says which firm, thread and person it was handed to, until
when. SES stores what comes back in S3 and calls the inbound_email function, which hands it
here:

- spam, viruses, failed SPF, DKIM or DMARC verdicts are dropped (firmchat.domain.inbound);
- `unsubscribe+<token>@` turns the contact's notify off, as the one-click POST does;
- automatic and list mail and null senders are dropped: never answered, never posted;
- a reply whose token is unknown or expired, or whose author is not the person the token was
  handed to, is dropped (nothing is posted, nobody is answered: no backscatter to a forger);
- with the firm's `land_email_replies` on, a reply from its person whose domain vouches for
  it (DKIM or SPF pass) is posted into the thread as that person, through the one message
  service and its policy, its quoted history stripped and the message marked as by email;
- anything else from the token's person is answered at most once per sender, thread and day
  with a kind note saying where to answer (`Auto-Submitted: auto-replied`, no thread content).
"""

import hashlib
import html
from dataclasses import dataclass
from typing import Final, Protocol

from mailparser_reply import EmailReplyParser
from pydantic import ValidationError

from firmchat.domain.inbound import (
    Addressed,
    InboundMessage,
    Mailbox,
    Receipt,
    addressed,
    dropped,
)
from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.domain.people import Contact, Firm
from firmchat.domain.principal import Principal
from firmchat.domain.threads import MessageVia, NewMessage, Thread, ThreadStatus
from firmchat.emails import render
from firmchat.errors import FirmchatError, NotFoundError
from firmchat.ports.clock import Clock
from firmchat.ports.notifications import LinkTokens, Mailer, RawMail, ReplyAnswers
from firmchat.ports.people import AssignedUser
from firmchat.ports.threads import ThreadReads
from firmchat.services.audience import PrincipalSource
from firmchat.services.messages import Messages
from firmchat.services.unsubscribe import Unsubscribes

REPLY_LANGUAGES: Final = ("en", "de", "fr", "es", "it", "nl")
AUTO_REPLIED: Final = {"Auto-Submitted": "auto-replied"}


class ReplyPeople(Protocol):
    def firm(self, firm_id: str) -> Firm | None: ...

    def contact(self, firm_id: str, account_id: str, contact_id: str) -> Contact | None: ...

    def firm_user(self, firm_id: str, user_id: str) -> AssignedUser | None: ...


@dataclass(frozen=True)
class InboundOutcome:
    """What became of one received message: `posted` (the reply is in the thread),
    `answered` (the sender was told where to reply), `unsubscribed`, or `dropped`, with why."""

    outcome: str
    reason: str = ""


def _dropped(reason: str) -> InboundOutcome:
    return InboundOutcome("dropped", reason)


@dataclass(frozen=True)
class _Person:
    email: str
    subject: str | None
    name: str


def stripped_reply(text: str) -> str:
    """The reply's own text: the quoted history and the signature off (mail-parser-reply,
    docs/decisions/0011-replies-by-email.md)."""
    parsed = EmailReplyParser(languages=list(REPLY_LANGUAGES)).parse_reply(text)
    return str(parsed or "").strip()


def as_html(text: str) -> str:
    """Plain text as message HTML: a paragraph per blank-line block, line breaks kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>"
        for block in blocks
        if block
    )


def _client_id(receipt: Receipt, message: InboundMessage) -> str:
    """The same for the same message delivered again (SES retries its Lambda action)."""
    origin = message.message_id or receipt.message_id
    return "email-" + hashlib.sha256(origin.encode()).hexdigest()[:40]


class Replies:
    """The inbound side: what one received message comes to."""

    def __init__(
        self,
        *,
        raw_mail: RawMail,
        links: LinkTokens,
        answers: ReplyAnswers,
        people: ReplyPeople,
        principals: PrincipalSource,
        threads: ThreadReads,
        messages: Messages,
        unsubscribes: Unsubscribes,
        mailer: Mailer,
        clock: Clock,
        reply_domain: str,
        portal_origin: str,
    ) -> None:
        self._raw_mail = raw_mail
        self._links = links
        self._answers = answers
        self._people = people
        self._principals = principals
        self._threads = threads
        self._messages = messages
        self._unsubscribes = unsubscribes
        self._mailer = mailer
        self._clock = clock
        self._domain = reply_domain
        self._portal = portal_origin.rstrip("/")

    def receive(self, receipt: Receipt) -> InboundOutcome:
        failed = receipt.failed()
        if failed is not None:
            return _dropped(f"{failed} verdict FAIL")
        to = addressed(receipt.recipients, self._domain)
        if to is None:
            return _dropped("not addressed to a reply or unsubscribe address")
        if to.mailbox is Mailbox.UNSUBSCRIBE:
            return self._unsubscribe(to)
        raw = self._raw_mail.read(receipt.message_id)
        if raw is None:
            return _dropped("the stored message is missing")
        message = InboundMessage.parse(raw)
        why = dropped(receipt, message)
        if why is not None:
            return _dropped(why)
        return self._reply(to, receipt, message)

    def _unsubscribe(self, to: Addressed) -> InboundOutcome:
        try:
            self._unsubscribes.unsubscribe(to.token)
        except NotFoundError:
            return _dropped("unknown or expired unsubscribe token")
        return InboundOutcome("unsubscribed")

    def _reply(self, to: Addressed, receipt: Receipt, message: InboundMessage) -> InboundOutcome:
        found = self._addressee(to, message)
        if isinstance(found, InboundOutcome):
            return found
        firm, thread, person = found
        if thread.status is ThreadStatus.ARCHIVED:
            return self._answer(firm, thread, person, "the thread is archived")
        if not firm.settings.land_email_replies:
            return self._answer(firm, thread, person, "the firm does not land replies by email")
        if not receipt.sender_proven:
            return self._answer(firm, thread, person, "neither DKIM nor SPF passed")
        return self._post(firm, thread, person, receipt, message)

    def _addressee(
        self, to: Addressed, message: InboundMessage
    ) -> tuple[Firm, Thread, _Person] | InboundOutcome:
        """The firm, thread and person the token was handed to, when its author is that
        person; otherwise why the message is dropped."""
        grant = self._links.find(to.token, LinkPurpose.REPLY)
        if grant is None or grant.thread_id is None:
            return _dropped("unknown or expired reply token")
        person = self._person(grant)
        if person is None or person.email.lower() != message.author:
            return _dropped("the sender is not the person the token was handed to")
        thread = self._threads.get(grant.firm_id, grant.thread_id)
        firm = self._people.firm(grant.firm_id)
        if thread is None or firm is None:
            return _dropped("the thread is gone")
        return firm, thread, person

    def _person(self, grant: LinkGrant) -> _Person | None:
        if grant.contact_id is not None:
            contact = self._people.contact(grant.firm_id, grant.account_id, grant.contact_id)
            return _Person(contact.email, contact.subject, contact.name) if contact else None
        found = self._people.firm_user(grant.firm_id, grant.user_id or "")
        if found is None:
            return None
        user = found[0]
        return _Person(user.email, user.subject, user.name)

    def _principal(self, thread: Thread, person: _Person) -> Principal | None:
        if not person.subject:
            return None
        found = self._principals.principals_for(thread.firm_id, [person.subject])
        return found[0] if found else None

    def _post(
        self,
        firm: Firm,
        thread: Thread,
        person: _Person,
        receipt: Receipt,
        message: InboundMessage,
    ) -> InboundOutcome:
        principal = self._principal(thread, person)
        if principal is None:
            return _dropped("the token's person may no longer sign in")
        body = as_html(stripped_reply(message.text))
        if not body:
            return self._answer(firm, thread, person, "the reply is empty once its quote is off")
        try:
            new = NewMessage(client_id=_client_id(receipt, message), body=body)
            self._messages.post(principal, thread.thread_id, new, via=MessageVia.EMAIL)
        except ValidationError:
            return self._answer(firm, thread, person, "the reply cannot be a message")
        except FirmchatError as error:  # the policy's refusal, an archived thread, too large
            return self._answer(firm, thread, person, error.message)
        return InboundOutcome("posted")

    def _answer(self, firm: Firm, thread: Thread, person: _Person, reason: str) -> InboundOutcome:
        """The kind note, once per sender, thread and day; no thread content in it."""
        sender = hashlib.sha256(person.email.lower().encode()).hexdigest()
        day = self._clock.now().date().isoformat()
        firm_id, thread_id = thread.firm_id, thread.thread_id
        if not self._answers.claim(firm_id, thread_id, sender, day):
            return _dropped(f"{reason}; answered today already")
        email = render(
            "reply_not_delivered",
            "Your reply was not delivered",
            firm_name=firm.name,
            person_name=person.name,
            thread_link=f"{self._portal}/threads/{thread_id}",
        )
        try:
            self._mailer.send(
                person.email, email.subject, email.text, html=email.html, headers=AUTO_REPLIED
            )
        except Exception:
            self._answers.release(firm_id, thread_id, sender, day)
            raise
        return InboundOutcome("answered", reason)
