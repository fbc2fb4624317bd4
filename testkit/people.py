"""Seeds firms and their people straight through the people store, with activated logins,
for tests that need principals but are not about inviting them (tests/integration/
test_invitations.py goes through the user pool and email instead)."""

from collections.abc import Iterable

from firmchat.domain.people import (
    ClientAccount,
    Contact,
    Firm,
    FirmUser,
    Invitation,
    Login,
    LoginState,
)
from firmchat.domain.principal import FirmSettings, PrincipalKind, Right, Role
from firmchat.root import Root


def _digest(login: Login) -> str:
    return f"seed-{login.subject}"


def _invitation(login: Login, email: str) -> Invitation:
    return Invitation(
        firm_id=login.firm_id,
        digest=_digest(login),
        subject=login.subject,
        email=email,
        principal_kind=login.principal_kind,
        user_id=login.user_id,
        account_id=login.account_id,
        expires_at=2**40,
    )


class Seeder:
    def __init__(self) -> None:
        self.store = Root().people_store

    def firm(
        self,
        firm_id: str,
        owner_subject: str,
        *,
        owner_id: str = "owner",
        settings: FirmSettings | None = None,
    ) -> FirmUser:
        owner, login = self._user(firm_id, owner_id, owner_subject, Role.OWNER, ())
        invitation = _invitation(login, owner.email)
        self.store.add_firm(
            Firm(firm_id=firm_id, name=f"Firm {firm_id}", settings=settings or FirmSettings()),
            owner,
            login,
            invitation,
        )
        self.store.activate(invitation)
        return owner

    def firm_user(
        self,
        firm_id: str,
        user_id: str,
        subject: str,
        role: Role,
        *,
        rights: Iterable[Right] = (),
        assigned: Iterable[str] = (),
    ) -> FirmUser:
        user, login = self._user(firm_id, user_id, subject, role, rights)
        invitation = _invitation(login, user.email)
        self.store.add_firm_user(user, login, invitation)
        self.store.activate(invitation)
        for account_id in assigned:
            self.store.assign(firm_id, user_id, account_id)
        return user

    def _user(
        self, firm_id: str, user_id: str, subject: str, role: Role, rights: Iterable[Right]
    ) -> tuple[FirmUser, Login]:
        user = FirmUser(
            firm_id=firm_id,
            user_id=user_id,
            email=f"{user_id}@{firm_id}.example",
            name=user_id.replace("_", " ").title(),
            role=role,
            rights=frozenset(rights),
            login_state=LoginState.INVITED,
            subject=subject,
        )
        login = Login(
            firm_id=firm_id,
            subject=subject,
            principal_kind=PrincipalKind.FIRM_USER,
            user_id=user_id,
        )
        return user.model_copy(update={"invitation_digest": _digest(login)}), login

    def account(self, firm_id: str, account_id: str) -> ClientAccount:
        account = ClientAccount(firm_id=firm_id, account_id=account_id, name=f"Client {account_id}")
        self.store.add_account(account)
        return account

    def client_user(self, firm_id: str, account_id: str, contact_id: str, subject: str) -> Contact:
        contact = Contact(
            firm_id=firm_id,
            account_id=account_id,
            contact_id=contact_id,
            name=contact_id.replace("_", " ").title(),
            email=f"{contact_id}@{account_id}.example",
            portal_access=True,
        )
        self.store.add_contact(contact)
        login = Login(
            firm_id=firm_id,
            subject=subject,
            principal_kind=PrincipalKind.CLIENT_USER,
            user_id=contact_id,
            account_id=account_id,
        )
        invitation = _invitation(login, contact.email)
        self.store.invite_contact(
            contact.model_copy(update={"login_state": LoginState.INVITED, "subject": subject}),
            login,
            invitation,
            revoked=None,
        )
        self.store.activate(invitation)
        return contact.model_copy(update={"login_state": LoginState.ACTIVATED, "subject": subject})
