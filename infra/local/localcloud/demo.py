"""Demo data, made through the core's own services as an operator and the invited people
would: a firm founded with its owner, people invited, accounts and contacts added, and each
invitation accepted from the link in the email SES "sent" (read back from the outbox).

The firm: an owner, an admin, a member with the all-accounts right, a member assigned to one
account. Client accounts: one with an activated contact; one with two contacts of whom one
is only invited; one with no activated contact (its contact has no portal access).
"""

import os
import re
from dataclasses import dataclass

from firmchat.adapters.identity import login_username
from firmchat.config import Settings
from firmchat.domain.caller import Caller
from firmchat.domain.people import InvitationAcceptance, NewAccount, NewContact, NewFirmUser
from firmchat.domain.principal import Principal, Right, Role
from firmchat.root import Root
from localcloud.mail import Outbox

DEMO_PASSWORD = "Demo-password-2026"  # noqa: S105 (a published demo login, local only)
_LINK = re.compile(r"/invitation#(\S+)")


@dataclass(frozen=True)
class DemoLogin:
    who: str
    portal: str  # "firm" or "client"
    email: str
    username: str  # what the firm's sign-in page sends the user pool
    password: str | None  # None: invited only, the password is chosen through the link


class _Seeder:
    def __init__(self, outbox: Outbox, portal_url: str) -> None:
        self._outbox = outbox
        services = Root(Settings({**os.environ, "PORTAL_ORIGIN": portal_url}))
        self.people = services.people
        self.invitations = services.invitations
        self.authenticator = services.authenticator
        self.logins: list[DemoLogin] = []
        self.firm_id = ""

    def accept(self, who: str, portal: str, email: str) -> None:
        """Follows the link of the last invitation mailed to this address."""
        sent = next(mail for mail in reversed(self._outbox.snapshot()) if email in mail.to)
        link = _LINK.search(sent.text or "")
        assert link is not None, f"no invitation link in the mail to {email}"
        self.invitations.accept(InvitationAcceptance(token=link.group(1), password=DEMO_PASSWORD))
        self.logins.append(self.login(who, portal, email, DEMO_PASSWORD))

    def login(self, who: str, portal: str, email: str, password: str | None) -> DemoLogin:
        return DemoLogin(who, portal, email, login_username(self.firm_id, email), password)

    def firm_user(self, owner: Principal, who: str, new: NewFirmUser) -> str:
        user = self.invitations.invite_user(owner, new)
        self.accept(who, "firm", new.email)
        return user.user_id

    def account(
        self, owner: Principal, name: str, contacts: list[tuple[NewContact, str | None]]
    ) -> str:
        """An account and its contacts; each contact with a label is invited, and accepts
        unless the label says it is only invited."""
        account_id = self.people.add_account(owner, NewAccount(name=name)).account_id
        for new, label in contacts:
            contact = self.people.add_contact(owner, account_id, new)
            if label is None:
                continue
            self.invitations.invite_contact(owner, account_id, contact.contact_id)
            if label.endswith("(invited only)"):
                self.logins.append(self.login(label, "client", new.email, None))
            else:
                self.accept(label, "client", new.email)
        return account_id


def seed(outbox: Outbox, portal_url: str) -> tuple[str, list[DemoLogin]]:
    """Creates the demo firm; its id and the demo logins. Runs in a function-like
    environment (the table, user pool and sender of the template)."""
    seeder = _Seeder(outbox, portal_url)
    owner_email = "olivia.owner@demo-firm.example"
    firm, owner = seeder.invitations.found_firm(
        "Demo & Partners", NewFirmUser(email=owner_email, name="Olivia Owner", role=Role.OWNER)
    )
    seeder.firm_id = firm.firm_id
    seeder.accept("owner", "firm", owner_email)
    principal = seeder.authenticator.principal_for(
        Caller(firm_id=firm.firm_id, subject=str(owner.subject))
    )
    seeder.firm_user(
        principal,
        "admin",
        NewFirmUser(email="adam.admin@demo-firm.example", name="Adam Admin", role=Role.ADMIN),
    )
    seeder.firm_user(
        principal,
        "member with the all-accounts right",
        NewFirmUser(
            email="mia.member@demo-firm.example",
            name="Mia Member",
            rights=frozenset({Right.ALL_ACCOUNTS}),
        ),
    )
    assigned = seeder.firm_user(
        principal,
        "member assigned to Lovelace",
        NewFirmUser(email="max.member@demo-firm.example", name="Max Member"),
    )
    lovelace = seeder.account(
        principal,
        "Ada Lovelace",
        [
            (
                NewContact(name="Ada Lovelace", email="ada@lovelace.example", portal_access=True),
                "contact of Lovelace",
            )
        ],
    )
    seeder.people.assign(principal, assigned, lovelace)
    seeder.account(
        principal,
        "Charles & Georgiana Babbage",
        [
            (
                NewContact(
                    name="Charles Babbage", email="charles@babbage.example", portal_access=True
                ),
                "contact of Babbage",
            ),
            (
                NewContact(
                    name="Georgiana Babbage", email="georgiana@babbage.example", portal_access=True
                ),
                "contact of Babbage (invited only)",
            ),
        ],
    )
    seeder.account(
        principal,
        "Calder Works Ltd",
        [(NewContact(name="Dora Calder", email="dora@calder.example"), None)],
    )
    return firm.firm_id, seeder.logins
