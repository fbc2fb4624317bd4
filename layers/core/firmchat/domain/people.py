"""The people of a firm (spec "Who is who"): the firm and its settings, firm users, their
assigned client accounts, client accounts, contacts, and the logins that sign them in.

Records are what the store keeps; the `New*` and `*Changes` models are what a request may
say. Those forbid unknown fields and name every changeable field one by one, so nobody can
set a field the API does not offer (a client cannot make itself an owner by adding one).
"""

from enum import StrEnum
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from firmchat.domain.principal import FirmSettings, PrincipalKind, Right, Role
from firmchat.domain.text import Encodable

# What a caller is told when a record they name is not there (or not theirs to see).
USER_NOT_FOUND = "no such firm user"
CONTACT_NOT_FOUND = "no such contact"
EMAIL_TAKEN = "this email already signs in as someone else of the firm"
INVITATION_UNUSABLE = "this invitation link is unknown, used or expired; ask the firm for a new one"
MFA_NOT_VERIFIED = (
    "no verified authenticator app on this sign-in: associate one and verify a code with the "
    "sign-in service first, then call this again"
)
RESET_UNUSABLE = "this password reset link is unknown, used or expired; ask for a new one"


def _lowercase(value: str) -> str:
    return value.lower()


_MAILABLE: Final = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$"
)
Email = Annotated[
    str,
    # An address mail can be sent to: RFC 5322 dot-atom characters before the @, ASCII
    # host labels (IDNs in their xn-- form) and a top-level label that starts with a letter.
    StringConstraints(strip_whitespace=True, max_length=254, pattern=_MAILABLE),
    Encodable,
    AfterValidator(_lowercase),
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Encodable
]


class LoginState(StrEnum):
    INVITED = "invited"
    ACTIVATED = "activated"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Firm(_Record):
    firm_id: str
    name: str
    settings: FirmSettings = FirmSettings()


class FirmUser(_Record):
    firm_id: str
    user_id: str
    email: str
    name: str
    role: Role
    rights: frozenset[Right] = frozenset()
    active: bool = True
    login_state: LoginState | None = None
    subject: str | None = None
    # The digest of the one invitation link that may still activate the login.
    invitation_digest: str | None = None
    # The login has a verified TOTP device, enabled and preferred in the pool (POST /me/mfa).
    mfa: bool = False

    @property
    def signs_in(self) -> bool:
        """The user may act now: not removed, and their login is activated."""
        return self.active and self.login_state is LoginState.ACTIVATED


class ClientAccount(_Record):
    firm_id: str
    account_id: str
    name: str


class Contact(_Record):
    firm_id: str
    account_id: str
    contact_id: str
    name: str
    email: str
    portal_access: bool = False
    notify: bool = True
    login_state: LoginState | None = None
    subject: str | None = None
    invitation_digest: str | None = None

    @property
    def signs_in(self) -> bool:
        """A client user (spec): portal access on and an activated login."""
        return self.portal_access and self.login_state is LoginState.ACTIVATED


class Login(_Record):
    """What a verified subject signs in as: one firm user, or one contact of one account."""

    firm_id: str
    subject: str
    principal_kind: PrincipalKind
    user_id: str
    account_id: str | None = None


class Invitation(_Record):
    """A single-use link for one login (an invitation, or a password reset), stored by the
    digest of the secret its email carried."""

    firm_id: str
    digest: str
    subject: str
    email: str
    principal_kind: PrincipalKind
    user_id: str
    account_id: str | None = None
    expires_at: int


# ---------------------------------------------------------------- what requests may say


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NewFirmUser(_Input):
    email: Email
    name: Name
    role: Role = Role.MEMBER
    rights: frozenset[Right] = frozenset()


class FirmUserChanges(_Input):
    name: Name | None = None
    role: Role | None = None
    rights: frozenset[Right] | None = None
    active: bool | None = Field(default=None, description="false removes the user's access")


class NewAccount(_Input):
    name: Name


class AccountChanges(_Input):
    name: Name | None = None


class NewContact(_Input):
    name: Name
    email: Email
    portal_access: bool = False
    notify: bool = True


class ContactChanges(_Input):
    name: Name | None = None
    email: Email | None = Field(default=None, description="only before the contact is invited")
    portal_access: bool | None = None
    notify: bool | None = None


class SettingsChanges(_Input):
    clients_can_start_threads: bool | None = None
    show_content_in_client_emails: bool | None = None
    require_mfa_for_firm_users: bool | None = Field(
        default=None, description="only a caller whose own MFA is recorded may turn it on"
    )
    inbox_for_account_members: bool | None = None
    client_email_group_minutes: int | None = Field(default=None, ge=0, le=60)
    land_email_replies: bool | None = Field(
        default=None,
        description="replies to notification emails land in their thread (MS-7) when their "
        "sender is proven; off, the sender is told where to answer",
    )


def _meets_the_pool_policy(password: str) -> str:
    # The user pool's policy (template.yaml), checked before the link is used up.
    if not (
        any(c.islower() for c in password)
        and any(c.isupper() for c in password)
        and any(c.isdigit() for c in password)
    ):
        raise ValueError("use lower and upper case letters and a digit")
    return password


Password = Annotated[
    str,
    StringConstraints(min_length=12, max_length=256),
    Encodable,
    AfterValidator(_meets_the_pool_policy),
]
FirmId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class InvitationAcceptance(_Input):
    """A link's token (an invitation or a password reset) and the password chosen with it."""

    token: Annotated[str, StringConstraints(min_length=1, max_length=300), Encodable]
    password: Password


class PasswordResetRequest(_Input):
    firm_id: FirmId
    email: Email
