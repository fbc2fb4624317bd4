"""The ports the people and access use cases are written against. Adapters implement them
with boto3 (firmchat.adapters); the unit tests implement them in memory.

Store methods that change data are single conditional writes or transactions: each either
happens whole or raises (NotFoundError when the item to change is missing, ConflictError
when a condition says the change no longer fits), never half.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from firmchat.domain.paging import Page
from firmchat.domain.people import (
    AccountChanges,
    ClientAccount,
    Contact,
    ContactChanges,
    Firm,
    FirmUser,
    FirmUserChanges,
    Invitation,
    Login,
)
from firmchat.domain.principal import FirmSettings, PrincipalKind

# A firm user with the ids of the accounts assigned to them.
AssignedUser = tuple[FirmUser, frozenset[str]]


@dataclass(frozen=True)
class SignedInRecords:
    """What some logins of one firm sign in as, read together: the firm, and the firm users
    and contacts the logins name (missing ones are absent)."""

    firm: Firm | None
    firm_users: Mapping[str, AssignedUser] = field(default_factory=dict)
    # By (account id, contact id).
    contacts: Mapping[tuple[str, str], Contact] = field(default_factory=dict)

    def of(self, login: Login) -> AssignedUser | Contact | None:
        if login.principal_kind is PrincipalKind.FIRM_USER:
            return self.firm_users.get(login.user_id)
        return self.contacts.get((str(login.account_id), login.user_id))


class RecordLookups(Protocol):
    """The single records several callers read by id."""

    def firm(self, firm_id: str) -> Firm | None: ...

    def login(self, firm_id: str, subject: str) -> Login | None: ...

    def firm_user(self, firm_id: str, user_id: str) -> AssignedUser | None:
        """The user and the ids of the accounts assigned to them (one read: the ids are kept
        on the user's own item)."""
        ...

    def contact(self, firm_id: str, account_id: str, contact_id: str) -> Contact | None: ...


class SignInStore(RecordLookups, Protocol):
    """What signing in reads (the authenticator)."""

    def logins(self, firm_id: str, subjects: Sequence[str]) -> list[Login]:
        """The logins of those subjects that have one, in batches (⌈n/100⌉ requests)."""
        ...

    def signed_in_records(self, firm_id: str, logins: Sequence[Login]) -> SignedInRecords:
        """The firm and what each login signs in as, in batches (⌈(n+1)/100⌉ requests)."""
        ...


class DirectoryStore(RecordLookups, Protocol):
    """What the thread services' view of the people reads (the people directory)."""

    def account(self, firm_id: str, account_id: str) -> ClientAccount | None: ...

    def accounts_by_id(self, firm_id: str, account_ids: Sequence[str]) -> list[ClientAccount]: ...

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...

    def firm_users(self, firm_id: str, size: int, cursor: str | None) -> Page[FirmUser]: ...


class InvitationStore(RecordLookups, Protocol):
    """Invitation and reset links, and the records they sign in as (the invitations)."""

    def invitation(self, firm_id: str, digest: str) -> Invitation | None: ...

    def reset(self, firm_id: str, digest: str) -> Invitation | None: ...

    def add_firm(self, firm: Firm, owner: FirmUser, login: Login, invitation: Invitation) -> None:
        """The firm with its first owner, invited, in one transaction."""
        ...

    def add_firm_user(self, user: FirmUser, login: Login, invitation: Invitation) -> None: ...

    def invite_contact(
        self, contact: Contact, login: Login, invitation: Invitation, *, revoked: str | None
    ) -> None:
        """Records the login as invited with this invitation, only while portal access is
        on, and deletes the `revoked` earlier one."""
        ...

    def activate(self, invitation: Invitation) -> None:
        """Uses the invitation up and marks the login activated, in one transaction that
        holds only while the record is invited, by this login, through this invitation."""
        ...

    def activated(self, login: Login) -> bool:
        """The login's record exists and its login is activated."""
        ...

    def add_reset(self, reset: Invitation) -> None: ...

    def use_reset(self, reset: Invitation) -> None:
        """Deletes the reset link, while its record is still activated with that login."""
        ...


class PeopleAdminStore(DirectoryStore, Protocol):
    """The firm's users, accounts and contacts as the people admin keeps them."""

    def firm_users(self, firm_id: str, size: int, cursor: str | None) -> Page[FirmUser]: ...

    def accounts(self, firm_id: str, size: int, cursor: str | None) -> Page[ClientAccount]: ...

    def accounts_by_id(self, firm_id: str, account_ids: Sequence[str]) -> list[ClientAccount]: ...

    def change_settings(self, firm_id: str, settings: FirmSettings) -> None: ...

    def change_firm_user(
        self, user: FirmUser, changes: FirmUserChanges, *, confirm_owner: str | None
    ) -> FirmUser:
        """Applies the named changes; with `confirm_owner`, only while that user is still an
        active owner (so two owners cannot demote each other at once)."""
        ...

    def record_mfa(self, user: FirmUser) -> None:
        """Marks the user's login as having MFA (NotFoundError when the user is gone)."""
        ...

    def assign(self, firm_id: str, user_id: str, account_id: str) -> None:
        """The assignment and the user's own list of assigned ids change together."""
        ...

    def unassign(self, firm_id: str, user_id: str, account_id: str) -> None:
        """The assignment and the user's own list of assigned ids change together."""
        ...

    def add_account(self, account: ClientAccount) -> None: ...

    def change_account(
        self, firm_id: str, account_id: str, changes: AccountChanges
    ) -> ClientAccount: ...

    def add_contact(self, contact: Contact) -> None: ...

    def change_contact(self, contact: Contact, changes: ContactChanges) -> Contact:
        """Applies the named changes; an email change only while the contact has no login."""
        ...

    def remove_contact(self, contact: Contact) -> None:
        """Deletes the contact and the login that signs in as it."""
        ...


class IdentityProvider(Protocol):
    """The user pool holding sign-ins: one login per firm and email, tagged with its firm."""

    def create_login(self, firm_id: str, email: str) -> str | None:
        """The subject of a new login without a usable password; None when the firm already
        has a login for that email (the pool's answer never concerns another firm)."""
        ...

    def subject_of(self, firm_id: str, email: str) -> str | None: ...

    def set_password(self, firm_id: str, email: str, password: str) -> None:
        """InvalidInputError (with the pool's reason) when the password is refused."""
        ...

    def require_totp(self, firm_id: str, email: str) -> bool:
        """Makes the login's verified TOTP device enabled and preferred, so every sign-in is
        challenged for a code; False when the login has no verified device."""
        ...

    def sign_out(self, firm_id: str, email: str) -> None:
        """Ends every session of the login (its refresh tokens stop working)."""
        ...

    def disable(self, firm_id: str, email: str) -> None:
        """Signs the login out everywhere; it cannot sign in until enabled."""
        ...

    def enable(self, firm_id: str, email: str) -> None: ...

    def delete(self, firm_id: str, email: str) -> None:
        """Signs the login out everywhere and deletes it: the address is free again."""
        ...
