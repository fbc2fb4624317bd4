"""The authorization truth table, kept as data: persona x operation -> decision.

Every persona stands in a relationship to one thread of account A1 in firm 1 (the "target");
the other firm's owner stands outside. Firm-wide operations (administer, manage owners) are
decided within the principal's own firm, so the other firm's owner may administer *their*
firm; the keys (firm id first) keep that from ever reaching firm 1's items. The unit tests
ask the policy module directly; the integration tests drive the same rows through the HTTP
API and the WebSocket actions.
"""

from firmchat.domain.policy import Decision, Operation

A, N, F = Decision.ALLOW, Decision.NOT_FOUND, Decision.FORBIDDEN

COLUMNS = (
    Operation.SEE_ACCOUNT,
    Operation.CREATE_THREAD,
    Operation.SEE_THREAD,
    Operation.POST_MESSAGE,
    Operation.MANAGE_THREAD,
    Operation.MANAGE_TASKS,
    Operation.CHECK_TASK,
    Operation.ATTACH_DOCUMENT,
    Operation.SEE_DOCUMENT,
    Operation.ADMINISTER,
    Operation.MANAGE_OWNERS,
)

# persona: (role or client, relationship to the target)   decisions in COLUMNS order
ROWS: dict[str, tuple[Decision, ...]] = {
    "owner": (A, A, A, A, A, A, A, A, A, A, A),
    "admin": (A, A, A, A, A, A, A, A, A, A, F),
    "member_assigned": (A, A, A, A, A, A, A, F, A, F, F),
    "member_assigned_with_documents": (A, A, A, A, A, A, A, A, A, F, F),
    "member_all_accounts": (A, A, A, A, A, A, A, F, A, F, F),
    "member_unassigned": (N, N, N, N, N, N, N, N, N, F, F),
    "member_mentioned": (N, N, A, A, F, A, A, F, A, F, F),
    "client_of_account": (A, A, A, A, F, F, A, A, A, F, F),
    "client_of_account_replies_only": (A, F, A, A, F, F, A, A, A, F, F),
    "client_of_other_account": (N, N, N, N, N, N, N, N, N, F, F),
    "other_firm_owner": (N, N, N, N, N, N, N, N, N, A, A),
}

EXPECTED: dict[tuple[str, Operation], Decision] = {
    (persona, operation): decision
    for persona, decisions in ROWS.items()
    for operation, decision in zip(COLUMNS, decisions, strict=True)
}
