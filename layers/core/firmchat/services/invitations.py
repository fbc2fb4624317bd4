"""Invitations: a login is created in the user pool, an email carries a single-use link, and
the person activates the login by choosing their password through it
(docs/decisions/0004-invitations-and-activation.md).

The login exists in the pool from the invitation on, but with no password anyone knows; the
record is `invited` until the link is used, and only an `activated` login acts as a
principal. Inviting again (the email was lost) sends a fresh link for the same login.
"""

import time
import uuid
from collections.abc import Callable

from firmchat.domain import policy
from firmchat.domain.people import (
    Contact,
    Firm,
    FirmUser,
    Invitation,
    InvitationAcceptance,
    Login,
    LoginState,
    NewFirmUser,
)
from firmchat.domain.policy import Operation
from firmchat.domain.principal import Principal, PrincipalKind, Role
from firmchat.domain.tokens import new_token, read_token
from firmchat.errors import ConflictError, NotFoundError
from firmchat.services.ports import IdentityProvider, Mailer, PeopleStore

INVITATION_LIFETIME_SECONDS = 7 * 24 * 3600
INVITATION_UNUSABLE = "this invitation link is unknown, used or expired; ask the firm for a new one"


def new_id() -> str:
    return uuid.uuid4().hex


class Invitations:
    def __init__(
        self,
        store: PeopleStore,
        identity: IdentityProvider,
        mailer: Mailer,
        portal_url: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._identity = identity
        self._mailer = mailer
        self._portal_url = portal_url.rstrip("/")
        self._now = now

    def found_firm(self, name: str, owner: NewFirmUser) -> tuple[Firm, FirmUser]:
        """A new firm with its first owner, invited by email. Run by the operator (there is
        no one in the firm yet to ask), not exposed on the API."""
        firm = Firm(firm_id=new_id(), name=name)
        user, login, invitation, token = self._new_user(
            firm.firm_id, owner.model_copy(update={"role": Role.OWNER})
        )
        self._store.add_firm(firm, user, login, invitation)
        self._send(firm, user.email, user.name, token)
        return firm, user

    def invite_user(self, principal: Principal, new: NewFirmUser) -> FirmUser:
        policy.require(principal, Operation.ADMINISTER)
        if new.role is Role.OWNER:
            policy.require(principal, Operation.MANAGE_OWNERS)
        user, login, invitation, token = self._new_user(principal.firm_id, new)
        self._store.add_firm_user(user, login, invitation)
        self._send(self._firm(principal.firm_id), user.email, user.name, token)
        return user

    def invite_contact(self, principal: Principal, account_id: str, contact_id: str) -> Contact:
        policy.require(principal, Operation.ADMINISTER)
        contact = self._store.contact(principal.firm_id, account_id, contact_id)
        if contact is None:
            raise NotFoundError("no such contact")
        if not contact.portal_access:
            raise ConflictError("turn on the contact's portal access before inviting them")
        if contact.login_state is LoginState.ACTIVATED:
            raise ConflictError("the contact has already activated their login")
        subject = self._identity.ensure_login(principal.firm_id, contact.email)
        invited = contact.model_copy(update={"login_state": LoginState.INVITED, "subject": subject})
        login = Login(
            firm_id=contact.firm_id,
            subject=subject,
            principal_kind=PrincipalKind.CLIENT_USER,
            user_id=contact.contact_id,
            account_id=contact.account_id,
        )
        invitation, token = self._invitation(login)
        self._store.invite_contact(invited, login, invitation)
        self._send(self._firm(principal.firm_id), contact.email, contact.name, token)
        return invited

    def accept(self, acceptance: InvitationAcceptance) -> None:
        """Activation: the person sets their password through the link they were sent."""
        named = read_token(acceptance.token)
        invitation = self._store.invitation(*named) if named else None
        if invitation is None or invitation.expires_at <= self._now():
            raise NotFoundError(INVITATION_UNUSABLE)
        self._identity.set_password(invitation.subject, acceptance.password)
        self._store.activate(invitation)

    def _new_user(self, firm_id: str, new: NewFirmUser) -> tuple[FirmUser, Login, Invitation, str]:
        subject = self._identity.ensure_login(firm_id, new.email)
        user = FirmUser(
            firm_id=firm_id,
            user_id=new_id(),
            email=new.email,
            name=new.name,
            role=new.role,
            rights=new.rights,
            login_state=LoginState.INVITED,
            subject=subject,
        )
        login = Login(
            firm_id=firm_id,
            subject=subject,
            principal_kind=PrincipalKind.FIRM_USER,
            user_id=user.user_id,
        )
        invitation, token = self._invitation(login)
        return user, login, invitation, token

    def _invitation(self, login: Login) -> tuple[Invitation, str]:
        token, digest = new_token(login.firm_id)
        invitation = Invitation(
            firm_id=login.firm_id,
            digest=digest,
            subject=login.subject,
            principal_kind=login.principal_kind,
            user_id=login.user_id,
            account_id=login.account_id,
            expires_at=int(self._now()) + INVITATION_LIFETIME_SECONDS,
        )
        return invitation, token

    def _firm(self, firm_id: str) -> Firm:
        firm = self._store.firm(firm_id)
        if firm is None:
            raise NotFoundError("no such firm")
        return firm

    def _send(self, firm: Firm, email: str, name: str, token: str) -> None:
        # The token rides in the fragment: browsers never send it to a server, so it stays
        # out of access logs; the portal posts it to /invitations/accept.
        self._mailer.send(
            to=email,
            subject=f"{firm.name} invites you to firmchat",
            text=(
                f"Hello {name},\n\n"
                f"{firm.name} invites you to exchange messages and documents with them "
                "securely on firmchat.\n\n"
                "Choose your password with this link (it works once, within 7 days):\n"
                f"{self._portal_url}/invitation#{token}\n"
            ),
        )
