"""Authentication: a verified subject becomes one principal, loaded from the firm's records.

Three reads at most (login, firm, the user or contact). A subject with no login, a removed
firm user, a contact whose portal access is off or whose login is not yet activated: all get
the same 401, so a request cannot tell which of these it met.

A firm user of a firm that requires MFA, with no device recorded, is refused with 403
`mfa_required` everywhere but where they enrol, and is left out of pushes.

Many subjects at once (the people a push may reach) are loaded in batches under the same
rules: their logins in one BatchGetItem, then the firm and every user or contact in another
(each per 100 keys), and whoever has no active record is simply left out.
"""

from collections.abc import Sequence

from firmchat.domain.caller import Caller
from firmchat.domain.people import Contact, Firm, Login
from firmchat.domain.principal import Principal, PrincipalKind
from firmchat.errors import MfaRequiredError, NotAuthenticatedError
from firmchat.ports.people import AssignedUser, SignedInRecords, SignInStore

NO_ACCESS = "this sign-in has no active access to the firm; ask the firm for an invitation"


class Authenticator:
    def __init__(self, store: SignInStore) -> None:
        self._store = store

    def principal_for(self, caller: Caller, *, enrolling: bool = False) -> Principal:
        """The caller's principal; a firm user who must enrol MFA first is refused (403
        `mfa_required`) unless `enrolling` (what they need to see and do to enrol)."""
        login = self._store.login(caller.firm_id, caller.subject)
        firm = self._store.firm(caller.firm_id) if login else None
        principal = None
        if login is not None and firm is not None:
            record = (
                self._store.firm_user(login.firm_id, login.user_id)
                if login.principal_kind is PrincipalKind.FIRM_USER
                else self._store.contact(login.firm_id, str(login.account_id), login.user_id)
            )
            principal = _principal(login, firm, record)
        if principal is None:
            raise NotAuthenticatedError(NO_ACCESS)
        if principal.must_enrol_mfa and not enrolling:
            raise MfaRequiredError()
        return principal

    def principals_for(self, firm_id: str, subjects: Sequence[str]) -> list[Principal]:
        """The principals of those subjects that have active access to the firm now."""
        logins = self._store.logins(firm_id, subjects) if subjects else []
        found = self._store.signed_in_records(firm_id, logins) if logins else SignedInRecords(None)
        if found.firm is None:
            return []
        firm = found.firm
        return [
            principal
            for login in logins
            if (principal := _principal(login, firm, found.of(login))) is not None
            and not principal.must_enrol_mfa
        ]


def _principal(login: Login, firm: Firm, record: AssignedUser | Contact | None) -> Principal | None:
    """The one place that says which record signs in, and as what; None when it may not."""
    if isinstance(record, tuple) and login.principal_kind is PrincipalKind.FIRM_USER:
        user, assigned = record
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
            settings=firm.settings,
            mfa=user.mfa,
        )
    if isinstance(record, Contact) and login.principal_kind is PrincipalKind.CLIENT_USER:
        if not record.signs_in or record.subject != login.subject:
            return None
        return Principal(
            firm_id=record.firm_id,
            user_id=record.contact_id,
            subject=login.subject,
            kind=PrincipalKind.CLIENT_USER,
            display_name=record.name,
            account_id=record.account_id,
            settings=firm.settings,
        )
    return None
