"""Authentication: a verified subject becomes one principal, loaded from the firm's records.

Three reads at most (login, firm, the user or contact). A subject with no login, a removed
firm user, a contact whose portal access is off or whose login is not yet activated: all get
the same 401, so a request cannot tell which of these it met.
"""

from firmchat.domain.caller import Caller
from firmchat.domain.people import Login
from firmchat.domain.principal import FirmSettings, Principal, PrincipalKind
from firmchat.errors import NotAuthenticatedError
from firmchat.services.ports import PeopleStore

NO_ACCESS = "this sign-in has no active access to the firm; ask the firm for an invitation"


class Authenticator:
    def __init__(self, store: PeopleStore) -> None:
        self._store = store

    def principal_for(self, caller: Caller) -> Principal:
        login = self._store.login(caller.firm_id, caller.subject)
        firm = self._store.firm(caller.firm_id) if login else None
        principal = None
        if login is not None and firm is not None:
            principal = (
                self._firm_user(login, firm.settings)
                if login.principal_kind is PrincipalKind.FIRM_USER
                else self._client_user(login, firm.settings)
            )
        if principal is None:
            raise NotAuthenticatedError(NO_ACCESS)
        return principal

    def _firm_user(self, login: Login, settings: FirmSettings) -> Principal | None:
        found = self._store.firm_user(login.firm_id, login.user_id)
        if found is None:
            return None
        user, assigned = found
        if not user.signs_in or user.subject != login.subject:
            return None
        return Principal(
            firm_id=user.firm_id,
            user_id=user.user_id,
            subject=login.subject,
            kind=PrincipalKind.FIRM_USER,
            display_name=user.name,
            role=user.role,
            rights=user.rights,
            assigned_account_ids=assigned,
            settings=settings,
        )

    def _client_user(self, login: Login, settings: FirmSettings) -> Principal | None:
        contact = self._store.contact(login.firm_id, str(login.account_id), login.user_id)
        if contact is None or not contact.signs_in or contact.subject != login.subject:
            return None
        return Principal(
            firm_id=contact.firm_id,
            user_id=contact.contact_id,
            subject=login.subject,
            kind=PrincipalKind.CLIENT_USER,
            display_name=contact.name,
            account_id=contact.account_id,
            settings=settings,
        )
