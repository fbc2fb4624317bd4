"""The authorization truth table (tests/support/access_table.py), end to end: two firms are
seeded, each persona signs in (the verified claims API Gateway would pass) and every probe
of an operation goes through the HTTP API function or the WebSocket function. The answer
must be the one the table's decision stands for, and every DynamoDB request made while
answering must name the caller's own firm.

Expected statuses follow from the table: allow -> the probe's success status, not found ->
404, forbidden -> 403; a firm-wide operation aimed at another firm's item answers 404 (the
caller may administer their own firm, and their keys cannot reach the other one).

Operations get probes as their endpoints exist; `PROBES` is the place to add them.
"""

from dataclasses import dataclass
from typing import Any

import pytest

from firmchat.domain.policy import Decision, Operation
from firmchat.domain.principal import PrincipalKind, Role
from tests.support.access_table import (
    ACCOUNT,
    EXPECTED,
    FIRM,
    OTHER_ACCOUNT,
    OTHER_FIRM,
    PERSONAS,
    Persona,
)
from tests.support.api import HttpApi, SignIn, ws_event
from tests.support.aws_calls import Calls
from tests.support.people import Seeder

SECOND_OWNER = "owner_2"


@dataclass(frozen=True)
class Probe:
    operation: Operation
    method: str
    path: str
    body: Any = None
    success: int = 200


PROBES = (
    Probe(Operation.SEE_ACCOUNT, "GET", f"/accounts/{ACCOUNT}"),
    Probe(Operation.ADMINISTER, "GET", f"/accounts/{ACCOUNT}/contacts"),
    Probe(Operation.ADMINISTER, "PATCH", f"/accounts/{ACCOUNT}", {"name": "Client acct-1"}),
    Probe(
        Operation.ADMINISTER,
        "PATCH",
        f"/accounts/{ACCOUNT}/contacts/contact_1",
        {"notify": True},
    ),
    Probe(
        Operation.ADMINISTER, "PUT", f"/users/member_unassigned/assignments/{ACCOUNT}", success=204
    ),
    Probe(Operation.MANAGE_OWNERS, "PATCH", f"/users/{SECOND_OWNER}", {"name": "Owner 2"}),
)
STATUS_OF = {Decision.NOT_FOUND: 404, Decision.FORBIDDEN: 403}


def _seed(persona: Persona) -> None:
    """Both firms with every persona of the table; firm 1 under this persona's settings."""
    seeder = Seeder()
    seeder.firm(FIRM, PERSONAS["owner"].subject, settings=persona.settings)
    seeder.firm(OTHER_FIRM, PERSONAS["other_firm_owner"].subject)
    for account_id in (ACCOUNT, OTHER_ACCOUNT):
        seeder.account(FIRM, account_id)
    # The other firm's own account has an id of its own: naming firm 1's ids from there
    # must reach nothing.
    seeder.account(OTHER_FIRM, "acct-9")
    seeder.firm_user(FIRM, SECOND_OWNER, f"sub-{SECOND_OWNER}", Role.OWNER)
    for other in PERSONAS.values():
        if other.role is Role.OWNER:
            continue
        if other.kind is PrincipalKind.CLIENT_USER:
            seeder.client_user(other.firm_id, str(other.account_id), other.user_id, other.subject)
        else:
            seeder.firm_user(
                other.firm_id,
                other.user_id,
                other.subject,
                other.role or Role.MEMBER,
                rights=other.rights,
                assigned=other.assigned,
            )


def _expected_status(persona: Persona, probe: Probe) -> int:
    if persona.firm_id != FIRM:
        return 404
    decision = EXPECTED[(_name(persona), probe.operation)]
    return probe.success if decision is Decision.ALLOW else STATUS_OF[decision]


def _name(persona: Persona) -> str:
    return next(name for name, candidate in PERSONAS.items() if candidate is persona)


def _outside_callers_firm(calls: Calls, firm_id: str, since: int) -> list[str]:
    recent = Calls(calls.calls[since:])
    return [f"{call.operation} {call.body}" for call in recent.outside_firm(firm_id)]


@pytest.mark.parametrize("name", list(PERSONAS))
def test_every_operation_answers_as_the_table_says(name, lambda_function, core_settings, aws_calls):
    persona = PERSONAS[name]
    _seed(persona)
    api = HttpApi(lambda_function("HttpApiFunction"))
    sign_in = SignIn(persona.firm_id, persona.subject)
    surprises: list[str] = []

    for probe in PROBES:
        since = len(aws_calls.calls)
        answer = api.call(probe.method, probe.path, sign_in, probe.body)
        expected = _expected_status(persona, probe)
        if answer.status != expected:
            surprises.append(f"{probe.method} {probe.path}: {answer.status}, expected {expected}")
        surprises.extend(_outside_callers_firm(aws_calls, persona.firm_id, since))
    assert surprises == [], f"{name}: {len(surprises)} surprises of {len(PROBES)} probes"


@pytest.mark.parametrize("name", list(PERSONAS))
def test_the_verified_subject_becomes_the_personas_principal(name, lambda_function, core_settings):
    persona = PERSONAS[name]
    _seed(persona)

    me = HttpApi(lambda_function("HttpApiFunction")).call(
        "GET", "/me", SignIn(persona.firm_id, persona.subject)
    )

    assert me.status == 200
    assert (me.body["firm_id"], me.body["user_id"], me.body["kind"], me.body["role"]) == (
        persona.firm_id,
        persona.user_id,
        persona.kind.value,
        persona.role.value if persona.role else None,
    )
    assert me.body["account_id"] == persona.account_id


@pytest.mark.parametrize("name", list(PERSONAS))
def test_every_websocket_action_answers_each_active_persona(
    name, lambda_function, core_settings, aws_calls
):
    persona = PERSONAS[name]
    _seed(persona)
    connection_id = f"conn-{name}"
    since = len(aws_calls.calls)

    lambda_function("WsDefaultFunction").invoke(
        ws_event(connection_id, SignIn(persona.firm_id, persona.subject), {"action": "ping"})
    )

    (pushed,) = aws_calls.of("apigatewaymanagementapi", "PostToConnection")
    assert connection_id in pushed.path
    assert aws_calls.of("apigatewaymanagementapi", "DeleteConnection") == []
    assert _outside_callers_firm(aws_calls, persona.firm_id, since) == []


def test_a_subject_another_firm_knows_is_nobody_in_this_one(lambda_function, core_settings):
    _seed(PERSONAS["owner"])
    other_owner = PERSONAS["other_firm_owner"]

    answer = HttpApi(lambda_function("HttpApiFunction")).call(
        "GET", "/me", SignIn(FIRM, other_owner.subject)
    )

    assert answer.status == 401


def test_the_other_firms_owner_lists_only_their_own_users(lambda_function, core_settings):
    _seed(PERSONAS["owner"])
    other_owner = PERSONAS["other_firm_owner"]

    answer = HttpApi(lambda_function("HttpApiFunction")).call(
        "GET", "/users", SignIn(OTHER_FIRM, other_owner.subject)
    )

    assert answer.status == 200
    assert {user["user_id"] for user in answer.body["users"]} == {
        persona.user_id
        for persona in PERSONAS.values()
        if persona.firm_id == OTHER_FIRM and persona.kind is PrincipalKind.FIRM_USER
    }
