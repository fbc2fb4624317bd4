"""Unsubscribing from client emails (RFC 8058): every client email names a one-click link,
scoped to (firm, contact) by a random token stored with an expiry. A POST to it turns the
contact's notify off; a GET only shows what the POST would do, since mail scanners follow
links."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Protocol

from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.domain.people import ClientAccount, Contact, ContactChanges, Firm
from firmchat.errors import NotFoundError
from firmchat.ports.clock import Clock
from firmchat.ports.notifications import LinkTokens

LINK_LIFETIME: Final = timedelta(days=60)
LINK_UNUSABLE: Final = "this unsubscribe link is not valid or has expired"


class UnsubscribePeople(Protocol):
    def firm(self, firm_id: str) -> Firm | None: ...

    def account(self, firm_id: str, account_id: str) -> ClientAccount | None: ...

    def contact(self, firm_id: str, account_id: str, contact_id: str) -> Contact | None: ...

    def change_contact(self, contact: Contact, changes: ContactChanges) -> Contact: ...


@dataclass(frozen=True)
class Subscription:
    firm: Firm
    account: ClientAccount
    contact: Contact


class UnsubscribeLinks:
    """The emails' side (the stream worker): a fresh link per email."""

    def __init__(
        self, links: LinkTokens, clock: Clock, *, api_origin: str, reply_domain: str
    ) -> None:
        self._links = links
        self._clock = clock
        self._api = api_origin.rstrip("/")
        self._reply_domain = reply_domain

    def headers(self, contact: Contact) -> dict[str, str]:
        """The List-Unsubscribe headers of one email to the contact, with a fresh token."""
        token = self._links.issue(
            LinkGrant(
                purpose=LinkPurpose.UNSUBSCRIBE,
                firm_id=contact.firm_id,
                account_id=contact.account_id,
                contact_id=contact.contact_id,
                expires_at=self._clock.now() + LINK_LIFETIME,
            )
        )
        return {
            "List-Unsubscribe": (
                f"<{self._api}/unsubscribe/{token}>, "
                f"<mailto:unsubscribe+{token}@{self._reply_domain}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }


class Unsubscribes:
    """The links' side (the HTTP API): what a token stops, and stopping it."""

    def __init__(self, links: LinkTokens, people: UnsubscribePeople) -> None:
        self._links = links
        self._people = people

    def subscription(self, token: str) -> Subscription:
        """Whose emails the token stops; NotFoundError when it is forged or expired, or the
        contact is gone."""
        grant = self._links.find(token, LinkPurpose.UNSUBSCRIBE)
        if grant is None or grant.contact_id is None:
            raise NotFoundError(LINK_UNUSABLE)
        firm = self._people.firm(grant.firm_id)
        account = self._people.account(grant.firm_id, grant.account_id)
        contact = self._people.contact(grant.firm_id, grant.account_id, grant.contact_id)
        if firm is None or account is None or contact is None:
            raise NotFoundError(LINK_UNUSABLE)
        return Subscription(firm, account, contact)

    def unsubscribe(self, token: str) -> Subscription:
        """Turns the contact's notify off (again is fine)."""
        found = self.subscription(token)
        if not found.contact.notify:
            return found
        changed = self._people.change_contact(found.contact, ContactChanges(notify=False))
        return Subscription(found.firm, found.account, changed)
