"""Links handed to a contact in an email: what a token grants, to whom, until when. A token
reads `<firm id>.<secret>` (firmchat.domain.tokens); only the secret's digest is stored."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class LinkPurpose(StrEnum):
    UNSUBSCRIBE = "unsubscribe"  # RFC 8058: turns the contact's notify off
    REPLY = "reply"  # MS-7: a reply to the email answers in the thread


class LinkGrant(BaseModel):
    model_config = ConfigDict(frozen=True)

    purpose: LinkPurpose
    firm_id: str
    account_id: str
    contact_id: str
    thread_id: str | None = None
    expires_at: datetime
