"""What notifications are sent through and remembered in: the one mailer (HTML, headers and
Reply-To), the ledger of what was sent to whom, the link tokens an email hands out, and the
inbound side of replies by email (the stored raw mail, the ledger of kind answers)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from firmchat.domain.links import LinkGrant, LinkPurpose


class Mailer(Protocol):
    """Every email the core sends (invitations, notifications, answers to replies)."""

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        *,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
        reply_to: str | None = None,
    ) -> None: ...


class DeliveryLedger(Protocol):
    """One mark per (event, recipient): claimed before sending, confirmed after, released
    when sending failed (firmchat.adapters.deliveries)."""

    def claim(self, firm_id: str, event_id: str, recipient: str) -> bool:
        """False when it was sent already (or is being sent)."""
        ...

    def confirm(self, firm_id: str, event_id: str, recipient: str) -> None: ...

    def release(self, firm_id: str, event_id: str, recipient: str) -> None: ...


class ReplyAnswers(Protocol):
    """At most one kind answer to one sender about one thread per day (a conditional write
    keyed on the three, firmchat.adapters.replies)."""

    def claim(self, firm_id: str, thread_id: str, sender: str, day: str) -> bool:
        """False when that sender was answered about that thread on that day already."""
        ...

    def release(self, firm_id: str, thread_id: str, sender: str, day: str) -> None:
        """Undoes a claim whose answer could not be sent."""
        ...


class RawMail(Protocol):
    def read(self, message_id: str) -> bytes | None:
        """The raw message the receipt rule stored under its SES message id (None: none)."""
        ...


class LinkTokens(Protocol):
    def issue(self, grant: LinkGrant) -> str:
        """A fresh random token for the grant (only its digest is stored)."""
        ...

    def find(self, token: str, purpose: LinkPurpose) -> LinkGrant | None:
        """None when the token is forged, unknown, expired or for another purpose."""
        ...


@dataclass(frozen=True)
class EmailGroup:
    """A burst of firm messages to one contact in one thread: `first_seq` was emailed at
    once, the ones up to `last_seq` wait for the follow-up at `until`."""

    firm_id: str
    thread_id: str
    contact_id: str
    first_seq: int
    last_seq: int
    until: datetime


class EmailGroups(Protocol):
    def open(self, group: EmailGroup, at: datetime) -> bool:
        """Opens the burst `group` (at its `first_seq`) unless one is still open at `at`."""
        ...

    def fold(self, firm_id: str, thread_id: str, contact_id: str, seq: int) -> None:
        """Adds `seq` to the open burst (one folded already, or a later one, is a no-op)."""
        ...

    def drop(self, firm_id: str, thread_id: str, contact_id: str, first_seq: int) -> None:
        """Undoes the opening of a burst at `first_seq` (its email failed)."""
        ...

    def get(self, firm_id: str, thread_id: str, contact_id: str) -> EmailGroup | None: ...


class FollowUps(Protocol):
    def schedule(self, group: EmailGroup) -> None:
        """One call of the follow-up at `group.until`; scheduling it again changes nothing."""
        ...
