"""The principal: who is acting, as loaded from the firm's own records at every request.

A verified sign-in (the JWT's `sub` and `custom:firm_id`, or a redeemed WebSocket ticket)
names a subject; the people service maps that subject to exactly one active record of the
firm (a firm user, or a contact with portal access and an activated login) and builds this
model from it. Nothing in it ever comes from a request body.

How assignments are known: a member's assigned client accounts are kept on the member's own
item (a set changed in the same transaction as the assignment items) and loaded with it into
`assigned_account_ids`, so the policy can answer without another read. Owners and admins
see every account; so does a member with the all-accounts right. A client user acts for
exactly one account, `account_id`.
"""

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PrincipalKind(StrEnum):
    FIRM_USER = "firm_user"
    CLIENT_USER = "client_user"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Right(StrEnum):
    ALL_ACCOUNTS = "all_accounts"
    MANAGE_DOCUMENTS = "manage_documents"


class FirmSettings(BaseModel):
    """The firm-wide switches (spec "Who is who"), with the product's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clients_can_start_threads: bool = True
    show_content_in_client_emails: bool = False
    # Firm users must have a TOTP device recorded (POST /me/mfa) to do anything but enrol.
    require_mfa_for_firm_users: bool = False
    # NT-3: a client's new thread or message also reaches the members assigned to the account.
    inbox_for_account_members: bool = True
    # Client emails of a burst: the first at once, the rest folded into one follow-up at the
    # end of this many minutes (0: one email per message).
    client_email_group_minutes: int = Field(default=5, ge=0, le=60)
    # MS-7: a reply to a notification email lands in its thread (when its sender is proven);
    # off, the sender is answered where to reply instead.
    land_email_replies: bool = False


class Principal(BaseModel):
    """One active person of one firm. Built by the people service; read by the policy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    firm_id: str
    # The firm user's id, or the contact's id for a client user: the id authorship, mentions,
    # unread counters and audiences are kept under.
    user_id: str
    # The identity provider's subject (Cognito `sub`) the principal was resolved from.
    subject: str
    kind: PrincipalKind
    display_name: str
    role: Role | None = None
    rights: frozenset[Right] = frozenset()
    account_id: str | None = None
    assigned_account_ids: frozenset[str] = frozenset()
    settings: FirmSettings = FirmSettings()
    # A firm user whose TOTP device the firm has recorded (clients are never required to).
    mfa: bool = False

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        if self.kind is PrincipalKind.FIRM_USER:
            if self.role is None or self.account_id is not None:
                raise ValueError("a firm user has a role and acts for no single account")
        elif (
            self.account_id is None
            or self.role is not None
            or self.rights
            or self.assigned_account_ids
        ):
            raise ValueError("a client user acts for one account and holds no role or right")
        return self

    @property
    def is_firm_user(self) -> bool:
        return self.kind is PrincipalKind.FIRM_USER

    @property
    def is_client_user(self) -> bool:
        return self.kind is PrincipalKind.CLIENT_USER

    @property
    def must_enrol_mfa(self) -> bool:
        """A firm user of a firm requiring MFA, with no device recorded: they may only enrol."""
        return self.is_firm_user and self.settings.require_mfa_for_firm_users and not self.mfa
