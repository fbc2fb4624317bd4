"""Properties of the one access policy over generated principals and targets: tenancy, a
client's one account, more access never taking any away, and not-yours read as missing."""

from hypothesis import assume, given
from hypothesis import strategies as st

from firmchat.domain.policy import (
    ACCOUNT_OPERATIONS,
    FIRM_OPERATIONS,
    THREAD_OPERATIONS,
    AccountFacts,
    Decision,
    Operation,
    ThreadFacts,
    audience,
    decide,
)
from firmchat.domain.principal import FirmSettings, Principal, PrincipalKind, Right, Role

FIRMS = st.sampled_from(["firm-a", "firm-b"])
ACCOUNTS = st.sampled_from(["acc-1", "acc-2", "acc-3"])
USERS = st.sampled_from(["u-1", "u-2", "u-3"])
SETTINGS = st.builds(FirmSettings, clients_can_start_threads=st.booleans())

firm_users = st.builds(
    Principal,
    firm_id=FIRMS,
    user_id=USERS,
    subject=st.just("s"),
    kind=st.just(PrincipalKind.FIRM_USER),
    display_name=st.just("A Person"),
    role=st.sampled_from(Role),
    rights=st.frozensets(st.sampled_from(Right)),
    assigned_account_ids=st.frozensets(ACCOUNTS),
    settings=SETTINGS,
)
client_users = st.builds(
    Principal,
    firm_id=FIRMS,
    user_id=USERS,
    subject=st.just("s"),
    kind=st.just(PrincipalKind.CLIENT_USER),
    display_name=st.just("A Client"),
    account_id=ACCOUNTS,
    settings=SETTINGS,
)
principals = st.one_of(firm_users, client_users)
threads = st.builds(
    ThreadFacts, firm_id=FIRMS, account_id=ACCOUNTS, mentioned_user_ids=st.frozensets(USERS)
)
accounts = st.builds(AccountFacts, firm_id=FIRMS, account_id=ACCOUNTS)


def _target(operation: Operation, thread: ThreadFacts) -> AccountFacts | None:
    if operation in FIRM_OPERATIONS:
        return None
    if operation in ACCOUNT_OPERATIONS:
        return AccountFacts(firm_id=thread.firm_id, account_id=thread.account_id)
    return thread


@given(principals, st.sampled_from(Operation), threads)
def test_another_firms_target_is_always_missing(principal, operation, thread):
    assume(operation not in FIRM_OPERATIONS and thread.firm_id != principal.firm_id)
    assert decide(principal, operation, _target(operation, thread)) is Decision.NOT_FOUND


@given(client_users, st.sampled_from(Operation), threads)
def test_a_client_sees_only_its_own_account_even_when_mentioned(principal, operation, thread):
    mentioned = thread.model_copy(
        update={"mentioned_user_ids": thread.mentioned_user_ids | {principal.user_id}}
    )
    decision = decide(principal, operation, _target(operation, mentioned))
    if operation in FIRM_OPERATIONS:
        assert decision is Decision.FORBIDDEN
    elif decision is not Decision.NOT_FOUND:
        assert (mentioned.firm_id, mentioned.account_id) == (
            principal.firm_id,
            principal.account_id,
        )


@given(
    firm_users,
    st.sampled_from(Operation),
    threads,
    st.frozensets(st.sampled_from(Right)),
    st.frozensets(ACCOUNTS),
)
def test_more_rights_or_assignments_never_take_access_away(
    principal, operation, thread, rights, assigned
):
    target = _target(operation, thread)
    wider = principal.model_copy(
        update={
            "rights": principal.rights | rights,
            "assigned_account_ids": principal.assigned_account_ids | assigned,
        }
    )
    if decide(principal, operation, target) is Decision.ALLOW:
        assert decide(wider, operation, target) is Decision.ALLOW


@given(principals, st.sampled_from(sorted(THREAD_OPERATIONS)), threads)
def test_a_forbidden_thread_operation_is_on_a_thread_the_principal_sees(
    principal, operation, thread
):
    if decide(principal, operation, thread) is Decision.FORBIDDEN:
        assert decide(principal, Operation.SEE_THREAD, thread) is Decision.ALLOW


@given(st.sampled_from(Operation), threads, USERS, SETTINGS)
def test_an_owner_may_do_everything_in_the_firm(operation, thread, user_id, settings):
    owner = Principal(
        firm_id=thread.firm_id,
        user_id=user_id,
        subject="s",
        kind=PrincipalKind.FIRM_USER,
        display_name="Olivia Owner",
        role=Role.OWNER,
        settings=settings,
    )
    assert decide(owner, operation, _target(operation, thread)) is Decision.ALLOW


@given(threads, st.lists(principals, max_size=8))
def test_the_audience_is_exactly_those_who_see_the_thread(thread, candidates):
    chosen = audience(thread, candidates)
    assert chosen == [
        person
        for person in candidates
        if decide(person, Operation.SEE_THREAD, thread) is Decision.ALLOW
    ]
    assert all(person.firm_id == thread.firm_id for person in chosen)
