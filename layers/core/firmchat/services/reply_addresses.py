"""The Reply-To of every notification email (MS-7): `reply+<token>@<reply domain>`, a fresh
token per email, recipient and thread (firmchat.services.replies reads what comes back)."""

from datetime import timedelta
from typing import Final

from firmchat.domain.inbound import Mailbox
from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.domain.threads import Thread
from firmchat.ports.clock import Clock
from firmchat.ports.notifications import LinkTokens

REPLY_LINK_LIFETIME: Final = timedelta(days=60)


class ReplyAddresses:
    """The emails' side: a fresh Reply-To per email, recipient and thread."""

    def __init__(self, links: LinkTokens, clock: Clock, *, reply_domain: str) -> None:
        self._links = links
        self._clock = clock
        self._domain = reply_domain

    def reply_to(
        self,
        thread: Thread,
        *,
        contact_id: str | None = None,
        user_id: str | None = None,
    ) -> str:
        token = self._links.issue(
            LinkGrant(
                purpose=LinkPurpose.REPLY,
                firm_id=thread.firm_id,
                account_id=thread.account_id,
                thread_id=thread.thread_id,
                contact_id=contact_id,
                user_id=user_id,
                expires_at=self._clock.now() + REPLY_LINK_LIFETIME,
            )
        )
        return f"{Mailbox.REPLY}+{token}@{self._domain}"
