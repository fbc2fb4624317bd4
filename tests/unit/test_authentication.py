"""Authentication in the core, over an in-memory people store: a verified subject becomes
exactly one principal, or the same 401 whatever the reason."""

from dataclasses import dataclass, field
from typing import cast

import pytest

from firmchat.domain.caller import Caller
from firmchat.domain.people import Contact, Firm, FirmUser, Login, LoginState
from firmchat.domain.principal import FirmSettings, PrincipalKind, Right, Role
from firmchat.errors import NotAuthenticatedError
from firmchat.ports.people import (
    SignedInRecords,
    SignInStore,
)
from firmchat.services.identity import NO_ACCESS, Authenticator
from firmchat.services.sessions import end_sessions
from testkit.fakes import FakeConnections, FakePusher

FIRM = "firm-1"
SETTINGS = FirmSettings(clients_can_start_threads=False)


@dataclass
class InMemoryPeople:
    firms: dict[str, Firm] = field(default_factory=dict)
    login_records: dict[tuple[str, str], Login] = field(default_factory=dict)
    users: dict[tuple[str, str], tuple[FirmUser, frozenset[str]]] = field(default_factory=dict)
    contacts: dict[tuple[str, str, str], Contact] = field(default_factory=dict)

    def firm(self, firm_id):
        return self.firms.get(firm_id)

    def login(self, firm_id, subject):
        return self.login_records.get((firm_id, subject))

    def firm_user(self, firm_id, user_id):
        return self.users.get((firm_id, user_id))

    def contact(self, firm_id, account_id, contact_id):
        return self.contacts.get((firm_id, account_id, contact_id))

    def logins(self, firm_id, subjects):
        return [
            self.login_records[firm_id, s] for s in subjects if (firm_id, s) in self.login_records
        ]

    def signed_in_records(self, firm_id, logins):
        return SignedInRecords(
            firm=self.firms.get(firm_id),
            firm_users={
                login.user_id: self.users[firm_id, login.user_id]
                for login in logins
                if (firm_id, login.user_id) in self.users
            },
            contacts={
                (account, contact): found
                for (firm, account, contact), found in self.contacts.items()
                if firm == firm_id
            },
        )


def _people(
    *,
    user_active: bool = True,
    portal_access: bool = True,
    login_state: LoginState = LoginState.ACTIVATED,
) -> Authenticator:
    people = InMemoryPeople()
    people.firms[FIRM] = Firm(firm_id=FIRM, name="Firm", settings=SETTINGS)
    people.users[(FIRM, "u1")] = (
        FirmUser(
            firm_id=FIRM,
            user_id="u1",
            email="u1@f.example",
            name="Uma",
            role=Role.MEMBER,
            rights=frozenset({Right.MANAGE_DOCUMENTS}),
            active=user_active,
            login_state=login_state,
            subject="sub-u1",
        ),
        frozenset({"acct-1"}),
    )
    people.login_records[(FIRM, "sub-u1")] = Login(
        firm_id=FIRM, subject="sub-u1", principal_kind=PrincipalKind.FIRM_USER, user_id="u1"
    )
    people.contacts[(FIRM, "acct-1", "c1")] = Contact(
        firm_id=FIRM,
        account_id="acct-1",
        contact_id="c1",
        name="Cleo",
        email="c1@c.example",
        portal_access=portal_access,
        login_state=login_state,
        subject="sub-c1",
    )
    people.login_records[(FIRM, "sub-c1")] = Login(
        firm_id=FIRM,
        subject="sub-c1",
        principal_kind=PrincipalKind.CLIENT_USER,
        user_id="c1",
        account_id="acct-1",
    )
    return Authenticator(cast(SignInStore, people))


def test_a_firm_user_becomes_a_principal_with_role_rights_assignments_and_settings():
    principal = _people().principal_for(Caller(firm_id=FIRM, subject="sub-u1"))

    assert (principal.kind, principal.role, principal.user_id) == (
        PrincipalKind.FIRM_USER,
        Role.MEMBER,
        "u1",
    )
    assert principal.rights == {Right.MANAGE_DOCUMENTS}
    assert principal.assigned_account_ids == {"acct-1"}
    assert principal.settings == SETTINGS


def test_a_contact_becomes_a_client_user_of_their_account():
    principal = _people().principal_for(Caller(firm_id=FIRM, subject="sub-c1"))

    assert (principal.kind, principal.account_id, principal.display_name) == (
        PrincipalKind.CLIENT_USER,
        "acct-1",
        "Cleo",
    )
    assert principal.role is None


@pytest.mark.parametrize(
    ("people", "subject"),
    [
        ({}, "sub-unknown"),
        ({"user_active": False}, "sub-u1"),
        ({"login_state": LoginState.INVITED}, "sub-u1"),
        ({"login_state": LoginState.INVITED}, "sub-c1"),
        ({"portal_access": False}, "sub-c1"),
    ],
    ids=["unknown", "removed user", "invited user", "invited contact", "portal access off"],
)
def test_no_active_record_is_the_same_401(people, subject):
    with pytest.raises(NotAuthenticatedError) as refused:
        _people(**people).principal_for(Caller(firm_id=FIRM, subject=subject))

    assert refused.value.message == NO_ACCESS


def test_the_subject_of_another_firm_is_nobody_here():
    with pytest.raises(NotAuthenticatedError):
        _people().principal_for(Caller(firm_id="firm-2", subject="sub-u1"))


@pytest.mark.parametrize(
    "people",
    [{}, {"user_active": False}, {"login_state": LoginState.INVITED}, {"portal_access": False}],
    ids=["active", "removed user", "invited", "portal access off"],
)
@pytest.mark.parametrize("firm_id", [FIRM, "firm-2"])
def test_many_subjects_at_once_are_exactly_those_one_at_a_time_accepts(people, firm_id):
    authenticator = _people(**people)
    subjects = ["sub-u1", "sub-c1", "sub-unknown"]
    one_at_a_time = []
    for subject in subjects:
        try:
            one_at_a_time.append(
                authenticator.principal_for(Caller(firm_id=firm_id, subject=subject))
            )
        except NotAuthenticatedError:
            continue

    assert authenticator.principals_for(firm_id, subjects) == one_at_a_time
    assert authenticator.principals_for(firm_id, []) == []


def test_ending_sessions_closes_and_forgets_each_of_the_subjects_sockets_only():
    sockets, pusher = FakeConnections(open={"sub-c1": ["a", "b"], "sub-u1": ["c"]}), FakePusher()

    ended = end_sessions(FIRM, "sub-c1", sockets, pusher)

    assert ended == 2
    assert pusher.closed == ["a", "b"]
    assert sockets.open == {"sub-c1": [], "sub-u1": ["c"]}
