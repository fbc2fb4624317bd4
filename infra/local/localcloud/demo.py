"""Demo data: one firm with its people and client accounts covering the spec's cases, and
their logins in the local user pool.

Client accounts: one with an activated contact; one with two contacts of whom one is only
invited (a login that still has its temporary password); one with no activated contact
(its only contact has no portal access, so no login at all).
"""

from dataclasses import dataclass

from localcloud.aws import LocalAws

DEMO_FIRM_ID = "firm-demo"
DEMO_PASSWORD = "Demo-password-2026"  # noqa: S105 (a published demo login, local only)
INVITE_PASSWORD = "Invited-password-2026"  # noqa: S105 (the invited login's temporary one)


@dataclass(frozen=True)
class DemoPerson:
    who: str
    email: str
    portal: str  # "firm" or "client"
    login: str  # "activated", "invited" or "none"


DEMO_PEOPLE = (
    DemoPerson("owner", "olivia.owner@demo-firm.example", "firm", "activated"),
    DemoPerson("admin", "adam.admin@demo-firm.example", "firm", "activated"),
    DemoPerson("member, all-accounts right", "mia.member@demo-firm.example", "firm", "activated"),
    DemoPerson("member, assigned to Lovelace", "max.member@demo-firm.example", "firm", "activated"),
    DemoPerson("contact of Lovelace (activated)", "ada@lovelace.example", "client", "activated"),
    DemoPerson("contact of Babbage (activated)", "charles@babbage.example", "client", "activated"),
    DemoPerson("contact of Babbage (invited)", "georgiana@babbage.example", "client", "invited"),
    DemoPerson("contact of Calder Works (no access)", "dora@calder.example", "client", "none"),
)


@dataclass(frozen=True)
class DemoLogin:
    person: DemoPerson
    subject: str
    password: str


def create_logins(aws: LocalAws, user_pool_id: str) -> list[DemoLogin]:
    """Users in the pool, each carrying the firm in `custom:firm_id`; activated logins get
    a permanent password, invited ones keep the temporary one (FORCE_CHANGE_PASSWORD)."""
    cognito = aws.session.client("cognito-idp", endpoint_url=aws.endpoint)
    logins = []
    for person in DEMO_PEOPLE:
        if person.login == "none":
            continue
        user = cognito.admin_create_user(
            UserPoolId=user_pool_id,
            Username=person.email,
            TemporaryPassword=INVITE_PASSWORD,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": person.email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:firm_id", "Value": DEMO_FIRM_ID},
            ],
        )["User"]
        password = INVITE_PASSWORD
        if person.login == "activated":
            cognito.admin_set_user_password(
                UserPoolId=user_pool_id,
                Username=person.email,
                Password=DEMO_PASSWORD,
                Permanent=True,
            )
            password = DEMO_PASSWORD
        subject = next(
            attribute["Value"] for attribute in user["Attributes"] if attribute["Name"] == "sub"
        )
        logins.append(DemoLogin(person=person, subject=subject, password=password))
    return logins
