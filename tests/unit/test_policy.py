"""The one access policy, asked directly: the truth table, then the edges around it."""

import pytest
from pydantic import ValidationError

from firmchat.domain.policy import (
    ACCOUNT_NOT_FOUND,
    THREAD_NOT_FOUND,
    AccountFacts,
    AccountScope,
    Decision,
    Operation,
    ThreadFacts,
    account_not_found,
    account_scope,
    audience,
    decide,
    require,
    thread_not_found,
)
from firmchat.domain.principal import Principal, PrincipalKind, Right, Role
from firmchat.errors import ForbiddenError, NotFoundError
from tests.support.access_table import (
    ACCOUNT,
    EXPECTED,
    FIRM,
    OTHER_FIRM,
    ROWS,
    THREAD,
)
from tests.support.access_table import PERSONAS as PERSONA_SPECS

PERSONAS = {name: persona.principal() for name, persona in PERSONA_SPECS.items()}


def test_every_persona_of_the_table_exists():
    assert set(PERSONAS) == set(ROWS)


@pytest.mark.parametrize(("persona", "operation"), sorted(EXPECTED), ids=str)
def test_the_policy_decides_as_the_truth_table_says(persona, operation):
    assert decide(PERSONAS[persona], operation, THREAD) is EXPECTED[(persona, operation)]


def test_account_operations_take_account_facts_and_ignore_no_mention():
    facts = AccountFacts(firm_id=FIRM, account_id=ACCOUNT)

    assert decide(PERSONAS["member_assigned"], Operation.CREATE_THREAD, facts) is Decision.ALLOW
    assert decide(PERSONAS["member_mentioned"], Operation.SEE_ACCOUNT, facts) is (
        Decision.NOT_FOUND
    )


def test_thread_operations_refuse_account_facts_as_a_programming_error():
    with pytest.raises(ValueError, match="thread"):
        decide(
            PERSONAS["owner"], Operation.SEE_THREAD, AccountFacts(firm_id=FIRM, account_id=ACCOUNT)
        )
    with pytest.raises(ValueError, match="account"):
        decide(PERSONAS["owner"], Operation.CREATE_THREAD)


def test_not_yours_and_missing_read_the_same():
    with pytest.raises(NotFoundError) as not_yours:
        require(PERSONAS["client_of_other_account"], Operation.SEE_THREAD, THREAD)

    assert not_yours.value.message == thread_not_found().message == THREAD_NOT_FOUND
    with pytest.raises(NotFoundError) as other_account:
        require(
            PERSONAS["member_unassigned"],
            Operation.CREATE_THREAD,
            AccountFacts(firm_id=FIRM, account_id=ACCOUNT),
        )
    assert other_account.value.message == account_not_found().message == ACCOUNT_NOT_FOUND


def test_a_visible_but_refused_operation_is_forbidden_with_a_reason():
    with pytest.raises(ForbiddenError, match="manage-documents"):
        require(PERSONAS["member_assigned"], Operation.ATTACH_DOCUMENT, THREAD)
    with pytest.raises(ForbiddenError, match="reply"):
        require(
            PERSONAS["client_of_account_replies_only"],
            Operation.CREATE_THREAD,
            AccountFacts(firm_id=FIRM, account_id=ACCOUNT),
        )


def test_require_returns_quietly_when_allowed():
    require(PERSONAS["owner"], Operation.ADMINISTER)
    require(PERSONAS["client_of_account"], Operation.POST_MESSAGE, THREAD)


def test_the_audience_is_exactly_who_may_see_the_thread():
    recipients = audience(THREAD, PERSONAS.values())

    expected = {
        persona for persona in ROWS if EXPECTED[(persona, Operation.SEE_THREAD)] is Decision.ALLOW
    }
    assert {name for name, person in PERSONAS.items() if person in recipients} == expected
    assert PERSONAS["other_firm_owner"] not in recipients


def test_a_mention_in_another_firms_thread_grants_nothing():
    foreign = ThreadFacts(
        firm_id=OTHER_FIRM, account_id=ACCOUNT, mentioned_user_ids=frozenset({"member_mentioned"})
    )

    assert decide(PERSONAS["member_mentioned"], Operation.SEE_THREAD, foreign) is (
        Decision.NOT_FOUND
    )


def test_a_client_mentioned_by_id_gains_nothing_beyond_their_account():
    thread = ThreadFacts(
        firm_id=FIRM,
        account_id=ACCOUNT,
        mentioned_user_ids=frozenset({PERSONAS["client_of_other_account"].user_id}),
    )

    assert decide(PERSONAS["client_of_other_account"], Operation.SEE_THREAD, thread) is (
        Decision.NOT_FOUND
    )


@pytest.mark.parametrize(
    ("persona", "scope"),
    [
        ("owner", AccountScope(all_accounts=True)),
        ("member_all_accounts", AccountScope(all_accounts=True)),
        ("member_assigned", AccountScope(all_accounts=False, account_ids=frozenset({ACCOUNT}))),
        ("member_mentioned", AccountScope(all_accounts=False)),
        ("client_of_account", AccountScope(all_accounts=False, account_ids=frozenset({ACCOUNT}))),
    ],
)
def test_lists_cover_the_accounts_the_principal_may_see(persona, scope):
    assert account_scope(PERSONAS[persona]) == scope


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": PrincipalKind.CLIENT_USER, "account_id": ACCOUNT, "role": Role.OWNER},
        {"kind": PrincipalKind.CLIENT_USER, "account_id": None},
        {"kind": PrincipalKind.CLIENT_USER, "account_id": ACCOUNT, "rights": {Right.ALL_ACCOUNTS}},
        {"kind": PrincipalKind.FIRM_USER, "role": None},
        {"kind": PrincipalKind.FIRM_USER, "role": Role.MEMBER, "account_id": ACCOUNT},
    ],
)
def test_a_principal_must_fit_its_kind(fields):
    with pytest.raises(ValidationError):
        Principal(firm_id=FIRM, user_id="u", subject="s", display_name="u", **fields)
