"""Managing the firm's people: settings, firm users, roles and rights, assignments, client
accounts and contacts. Every use case asks the access policy first; the firm is always the
principal's own, so no request can name another firm's item.

Taking someone's access away reaches their login too: a removed firm user's login is
disabled, a contact whose portal access is turned off is signed out everywhere, and a removed
contact's login is deleted (which frees the address). No earlier session survives to call
the user pool on its own.
"""

from collections.abc import Sequence

from firmchat.domain import policy
from firmchat.domain.paging import Page
from firmchat.domain.people import (
    CONTACT_NOT_FOUND,
    MFA_NOT_VERIFIED,
    USER_NOT_FOUND,
    AccountChanges,
    ClientAccount,
    Contact,
    ContactChanges,
    FirmUser,
    FirmUserChanges,
    NewAccount,
    NewContact,
    SettingsChanges,
)
from firmchat.domain.policy import AccountFacts, Operation
from firmchat.domain.principal import FirmSettings, Principal, Role
from firmchat.errors import ConflictError, ForbiddenError, NotFoundError
from firmchat.ports.people import IdentityProvider, PeopleAdminStore
from firmchat.services.invitations import new_id


class PeopleAdmin:
    def __init__(self, store: PeopleAdminStore, identity: IdentityProvider) -> None:
        self._store = store
        self._identity = identity

    # ------------------------------------------------------------ settings
    def settings(self, principal: Principal) -> FirmSettings:
        """Every principal acts under the settings; anyone signed in may read them."""
        return principal.settings

    def change_settings(self, principal: Principal, changes: SettingsChanges) -> FirmSettings:
        policy.require(principal, Operation.ADMINISTER)
        if changes.require_mfa_for_firm_users and not principal.mfa:
            raise ConflictError(
                "record your own authenticator app first (POST /me/mfa): requiring MFA "
                "without it would lock you out"
            )
        settings = principal.settings.model_copy(update=changes.model_dump(exclude_none=True))
        self._store.change_settings(principal.firm_id, settings)
        return settings

    def record_mfa(self, principal: Principal) -> None:
        """The firm user's own login has a verified TOTP device: the pool is told to require
        it at every sign-in, and the firm records it. Clients are never required to."""
        if not principal.is_firm_user:
            raise ForbiddenError("only firm users record MFA with the firm")
        user, _ = self._user_record(principal.firm_id, principal.user_id)
        if not self._identity.require_totp(user.firm_id, user.email):
            raise ConflictError(MFA_NOT_VERIFIED)
        self._store.record_mfa(user)

    # ------------------------------------------------------------ firm users
    def users(self, principal: Principal, size: int, cursor: str | None) -> Page[FirmUser]:
        policy.require(principal, Operation.ADMINISTER)
        return self._store.firm_users(principal.firm_id, size, cursor)

    def user(self, principal: Principal, user_id: str) -> tuple[FirmUser, frozenset[str]]:
        policy.require(principal, Operation.ADMINISTER)
        return self._user_record(principal.firm_id, user_id)

    def _user_record(self, firm_id: str, user_id: str) -> tuple[FirmUser, frozenset[str]]:
        found = self._store.firm_user(firm_id, user_id)
        if found is None:
            raise NotFoundError(USER_NOT_FOUND)
        return found

    def change_user(self, principal: Principal, user_id: str, changes: FirmUserChanges) -> FirmUser:
        user, _ = self.user(principal, user_id)
        touches_owner = user.role is Role.OWNER or changes.role is Role.OWNER
        if touches_owner:
            policy.require(principal, Operation.MANAGE_OWNERS)
        if user.user_id == principal.user_id and (
            changes.role not in (None, user.role) or changes.active is False
        ):
            raise ConflictError(
                "you cannot change your own role or remove your own access; ask another owner"
            )
        changed = self._store.change_firm_user(
            user, changes, confirm_owner=principal.user_id if touches_owner else None
        )
        if user.subject is not None and changes.active is not None:
            switch = self._identity.enable if changes.active else self._identity.disable
            switch(user.firm_id, user.email)
        return changed

    def assign(self, principal: Principal, user_id: str, account_id: str) -> None:
        user, _ = self.user(principal, user_id)
        self.account(principal, account_id)
        self._store.assign(principal.firm_id, user.user_id, account_id)

    def unassign(self, principal: Principal, user_id: str, account_id: str) -> None:
        user, _ = self.user(principal, user_id)
        self._store.unassign(principal.firm_id, user.user_id, account_id)

    # ------------------------------------------------------------ client accounts
    def accounts(self, principal: Principal, size: int, cursor: str | None) -> Page[ClientAccount]:
        """The accounts the principal may see: every one, or the assigned (or own) ones."""
        scope = policy.account_scope(principal)
        if scope.all_accounts:
            return self._store.accounts(principal.firm_id, size, cursor)
        return Page(items=self._accounts_by_id(principal, sorted(scope.account_ids)), cursor=None)

    def _accounts_by_id(self, principal: Principal, ids: Sequence[str]) -> list[ClientAccount]:
        return sorted(
            self._store.accounts_by_id(principal.firm_id, ids), key=lambda account: account.name
        )

    def account(self, principal: Principal, account_id: str) -> ClientAccount:
        policy.require(
            principal,
            Operation.SEE_ACCOUNT,
            AccountFacts(firm_id=principal.firm_id, account_id=account_id),
        )
        account = self._store.account(principal.firm_id, account_id)
        if account is None:
            raise policy.account_not_found()
        return account

    def add_account(self, principal: Principal, new: NewAccount) -> ClientAccount:
        policy.require(principal, Operation.ADMINISTER)
        account = ClientAccount(firm_id=principal.firm_id, account_id=new_id(), name=new.name)
        self._store.add_account(account)
        return account

    def change_account(
        self, principal: Principal, account_id: str, changes: AccountChanges
    ) -> ClientAccount:
        policy.require(principal, Operation.ADMINISTER)
        return self._store.change_account(principal.firm_id, account_id, changes)

    # ------------------------------------------------------------ contacts
    def contacts(self, principal: Principal, account_id: str) -> list[Contact]:
        policy.require(principal, Operation.ADMINISTER)
        self.account(principal, account_id)
        return self._store.contacts(principal.firm_id, account_id)

    def contact(self, principal: Principal, account_id: str, contact_id: str) -> Contact:
        policy.require(principal, Operation.ADMINISTER)
        contact = self._store.contact(principal.firm_id, account_id, contact_id)
        if contact is None:
            raise NotFoundError(CONTACT_NOT_FOUND)
        return contact

    def add_contact(self, principal: Principal, account_id: str, new: NewContact) -> Contact:
        policy.require(principal, Operation.ADMINISTER)
        self.account(principal, account_id)
        contact = Contact(
            firm_id=principal.firm_id,
            account_id=account_id,
            contact_id=new_id(),
            name=new.name,
            email=new.email,
            portal_access=new.portal_access,
            notify=new.notify,
        )
        self._store.add_contact(contact)
        return contact

    def change_contact(
        self, principal: Principal, account_id: str, contact_id: str, changes: ContactChanges
    ) -> Contact:
        contact = self.contact(principal, account_id, contact_id)
        changed = self._store.change_contact(contact, changes)
        if contact.subject is not None and changes.portal_access is False:
            self._identity.sign_out(contact.firm_id, contact.email)
        return changed

    def remove_contact(self, principal: Principal, account_id: str, contact_id: str) -> None:
        contact = self.contact(principal, account_id, contact_id)
        self._store.remove_contact(contact)
        if contact.subject is not None:
            self._identity.delete(contact.firm_id, contact.email)
