"""Invitations: a login is created in the user pool, an email carries a single-use link, and
the person activates the login by choosing their password through it
(docs/decisions/0004-invitations-and-activation.md).

The login exists in the pool from the invitation on, but with no password anyone knows; the
record is `invited` until the link is used, and only an `activated` login acts as a
principal. Inviting again (the email was lost) sends a fresh link for the same login and
revokes the earlier ones: the record names the one link that may still activate it, and the
write that activates checks it, and that the login is still invited, before any password is
set. An invitation never takes over a pool user it did not create for this very record.

A forgotten password is its own flow (spec "Password reset"): a request answers the same
whatever the address, and an activated login is mailed a short-lived link of its own.
"""

import uuid

from firmchat.domain import policy
from firmchat.domain.people import (
    EMAIL_TAKEN,
    INVITATION_UNUSABLE,
    RESET_UNUSABLE,
    Contact,
    Firm,
    FirmUser,
    Invitation,
    InvitationAcceptance,
    Login,
    LoginState,
    NewFirmUser,
    PasswordResetRequest,
)
from firmchat.domain.policy import Operation
from firmchat.domain.principal import Principal, PrincipalKind, Role
from firmchat.domain.tokens import new_token, read_token
from firmchat.errors import ConflictError, NotFoundError
from firmchat.ports.clock import Clock, epoch_seconds
from firmchat.ports.notifications import Mailer
from firmchat.ports.people import IdentityProvider, InvitationStore

INVITATION_LIFETIME_SECONDS = 7 * 24 * 3600
RESET_LIFETIME_SECONDS = 3600


def new_id() -> str:
    return uuid.uuid4().hex


class Invitations:
    def __init__(
        self,
        store: InvitationStore,
        identity: IdentityProvider,
        mailer: Mailer,
        portal_url: str,
        clock: Clock,
    ) -> None:
        self._store = store
        self._identity = identity
        self._mailer = mailer
        self._portal_url = portal_url.rstrip("/")
        self._clock = clock

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
        own = contact.subject if contact.login_state is LoginState.INVITED else None
        subject = (
            own
            if own is not None and self._identity.subject_of(contact.firm_id, contact.email) == own
            else self._new_login(contact.firm_id, contact.email)
        )
        login = Login(
            firm_id=contact.firm_id,
            subject=subject,
            principal_kind=PrincipalKind.CLIENT_USER,
            user_id=contact.contact_id,
            account_id=contact.account_id,
        )
        invitation, token = self._link(login, contact.email, INVITATION_LIFETIME_SECONDS)
        invited = contact.model_copy(
            update={
                "login_state": LoginState.INVITED,
                "subject": subject,
                "invitation_digest": invitation.digest,
            }
        )
        self._store.invite_contact(invited, login, invitation, revoked=contact.invitation_digest)
        self._send(self._firm(principal.firm_id), contact.email, contact.name, token)
        return invited

    def accept(self, acceptance: InvitationAcceptance) -> None:
        """Activation: the person sets their password through the latest link they were
        sent. The link is used up, and the login marked activated, before the password is
        set: a link can never set the password of a login that is already in use."""
        named = read_token(acceptance.token)
        invitation = self._store.invitation(*named) if named else None
        if invitation is None or invitation.expires_at <= self._clock.now().timestamp():
            raise NotFoundError(INVITATION_UNUSABLE)
        self._store.activate(invitation)
        self._identity.set_password(invitation.firm_id, invitation.email, acceptance.password)

    def request_reset(self, request: PasswordResetRequest) -> None:
        """Mails a reset link when the firm has an activated login for the address; answers
        the same (nothing) whatever it found, so nobody learns who signs in where."""
        subject = self._identity.subject_of(request.firm_id, request.email)
        login = self._store.login(request.firm_id, subject) if subject else None
        firm = self._store.firm(request.firm_id) if login else None
        if login is None or firm is None or not self._store.activated(login):
            return
        reset, token = self._link(login, request.email, RESET_LIFETIME_SECONDS)
        self._store.add_reset(reset)
        self._mailer.send(
            to=request.email,
            subject=f"Reset your firmchat password for {firm.name}",
            text=(
                "Someone asked to reset the password you use with "
                f"{firm.name} on firmchat. If it was you, choose a new one with this link "
                "(it works once, within an hour):\n"
                f"{self._portal_url}/password-reset#{token}\n\n"
                "If it was not you, ignore this email: your password stays as it is.\n"
            ),
        )

    def reset_password(self, confirmation: InvitationAcceptance) -> None:
        """Uses a reset link up (while its login is still activated and the same), sets the
        password, and ends the login's other sessions."""
        named = read_token(confirmation.token)
        reset = self._store.reset(*named) if named else None
        if reset is None or reset.expires_at <= self._clock.now().timestamp():
            raise NotFoundError(RESET_UNUSABLE)
        self._store.use_reset(reset)
        self._identity.set_password(reset.firm_id, reset.email, confirmation.password)
        self._identity.sign_out(reset.firm_id, reset.email)

    def _new_login(self, firm_id: str, email: str) -> str:
        """A login created now, for this record alone. A pool user the firm already has for
        the address is never adopted: it is refused while a record of the firm signs in
        with it, and otherwise (left by an invitation whose write failed, or a removal whose
        clean-up did) deleted and replaced, so no earlier session can become this record."""
        subject = self._identity.create_login(firm_id, email)
        if subject is None:
            held = self._identity.subject_of(firm_id, email)
            if held is not None and self._store.login(firm_id, held) is not None:
                raise ConflictError(EMAIL_TAKEN)
            self._identity.delete(firm_id, email)
            subject = self._identity.create_login(firm_id, email)
        if subject is None:
            raise ConflictError("the address is being invited meanwhile; look again and retry")
        return subject

    def _new_user(self, firm_id: str, new: NewFirmUser) -> tuple[FirmUser, Login, Invitation, str]:
        subject = self._new_login(firm_id, new.email)
        user_id = new_id()
        login = Login(
            firm_id=firm_id,
            subject=subject,
            principal_kind=PrincipalKind.FIRM_USER,
            user_id=user_id,
        )
        invitation, token = self._link(login, new.email, INVITATION_LIFETIME_SECONDS)
        user = FirmUser(
            firm_id=firm_id,
            user_id=user_id,
            email=new.email,
            name=new.name,
            role=new.role,
            rights=new.rights,
            login_state=LoginState.INVITED,
            subject=subject,
            invitation_digest=invitation.digest,
        )
        return user, login, invitation, token

    def _link(self, login: Login, email: str, lifetime: int) -> tuple[Invitation, str]:
        token, digest = new_token(login.firm_id)
        link = Invitation(
            firm_id=login.firm_id,
            digest=digest,
            subject=login.subject,
            email=email,
            principal_kind=login.principal_kind,
            user_id=login.user_id,
            account_id=login.account_id,
            expires_at=epoch_seconds(self._clock) + lifetime,
        )
        return link, token

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
                f"{self._portal_url}/invitation#{token}\n\n"
                f"Afterwards you sign in to {firm.name} at "
                f"{self._portal_url}/firms/{firm.firm_id}/sign-in with this email address.\n"
            ),
        )
