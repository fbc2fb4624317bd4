"""Links handed to a person in an email: what a token grants, to whom, until when. A token
reads `<firm id>.<secret>` (firmchat.domain.tokens); only the secret's digest is stored."""

from datetime import datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator


class LinkPurpose(StrEnum):
    UNSUBSCRIBE = "unsubscribe"  # RFC 8058: turns the contact's notify off
    REPLY = "reply"  # MS-7: a reply to the email answers in the thread


class LinkGrant(BaseModel):
    model_config = ConfigDict(frozen=True)

    purpose: LinkPurpose
    firm_id: str
    account_id: str
    # Whom the link was handed to: a contact of the account, or (a reply link in a firm-side
    # email) a firm user; exactly one of the two.
    contact_id: str | None = None
    user_id: str | None = None
    thread_id: str | None = None
    expires_at: datetime

    @model_validator(mode="after")
    def _names_one_person(self) -> Self:
        if (self.contact_id is None) == (self.user_id is None):
            raise ValueError("a link is handed to one contact or one firm user")
        return self
