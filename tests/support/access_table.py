"""The authorization truth table, kept as data: persona x operation -> decision.

Every persona stands in a relationship to one thread of account A1 in firm 1 (the "target");
the other firm's owner stands outside. Firm-wide operations (administer, manage owners) are
decided within the principal's own firm, so the other firm's owner may administer *their*
firm; the keys (firm id first) keep that from ever reaching firm 1's items. The unit tests
ask the policy module directly; the integration tests drive the same rows through the HTTP
API and the WebSocket actions.
"""

from dataclasses import dataclass, field

from firmchat.domain.policy import Decision, Operation, ThreadFacts
from firmchat.domain.principal import FirmSettings, Principal, PrincipalKind, Right, Role

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
    Operation.MANAGE_FOLDERS,
    Operation.ADMINISTER,
    Operation.MANAGE_OWNERS,
)

# persona: (role or client, relationship to the target)   decisions in COLUMNS order
ROWS: dict[str, tuple[Decision, ...]] = {
    "owner": (A, A, A, A, A, A, A, A, A, A, A, A),
    "admin": (A, A, A, A, A, A, A, A, A, A, A, F),
    "member_assigned": (A, A, A, A, A, A, A, F, A, F, F, F),
    "member_assigned_with_documents": (A, A, A, A, A, A, A, A, A, A, F, F),
    "member_all_accounts": (A, A, A, A, A, A, A, F, A, F, F, F),
    "member_unassigned": (N, N, N, N, N, N, N, N, N, N, F, F),
    "member_mentioned": (N, N, A, A, F, A, A, F, A, N, F, F),
    "client_of_account": (A, A, A, A, F, F, A, A, A, F, F, F),
    "client_of_account_replies_only": (A, F, A, A, F, F, A, A, A, F, F, F),
    "client_of_other_account": (N, N, N, N, N, N, N, N, N, N, F, F),
    "other_firm_owner": (N, N, N, N, N, N, N, N, N, N, A, A),
}

EXPECTED: dict[tuple[str, Operation], Decision] = {
    (persona, operation): decision
    for persona, decisions in ROWS.items()
    for operation, decision in zip(COLUMNS, decisions, strict=True)
}


FIRM, OTHER_FIRM = "firm-1", "firm-2"
ACCOUNT, OTHER_ACCOUNT = "acct-1", "acct-2"
MENTIONED_USER = "member_mentioned"


@dataclass(frozen=True)
class Persona:
    """One row's person: who they are and how they stand to the target thread."""

    user_id: str
    kind: PrincipalKind = PrincipalKind.FIRM_USER
    role: Role | None = None
    firm_id: str = FIRM
    rights: frozenset[Right] = frozenset()
    assigned: frozenset[str] = frozenset()
    account_id: str | None = None
    settings: FirmSettings = field(default_factory=FirmSettings)

    @property
    def subject(self) -> str:
        return f"sub-{self.firm_id}-{self.user_id}"

    def principal(self) -> Principal:
        return Principal(
            firm_id=self.firm_id,
            user_id=self.user_id,
            subject=self.subject,
            kind=self.kind,
            display_name=self.user_id,
            role=self.role,
            rights=self.rights,
            account_id=self.account_id,
            assigned_account_ids=self.assigned,
            settings=self.settings,
        )


def _client(user_id: str, account_id: str, **fields: object) -> Persona:
    return Persona(user_id, kind=PrincipalKind.CLIENT_USER, account_id=account_id, **fields)  # type: ignore[arg-type]


PERSONAS: dict[str, Persona] = {
    "owner": Persona("owner", role=Role.OWNER),
    "admin": Persona("admin", role=Role.ADMIN),
    "member_assigned": Persona("member_assigned", role=Role.MEMBER, assigned=frozenset({ACCOUNT})),
    "member_assigned_with_documents": Persona(
        "member_docs",
        role=Role.MEMBER,
        assigned=frozenset({ACCOUNT}),
        rights=frozenset({Right.MANAGE_DOCUMENTS}),
    ),
    "member_all_accounts": Persona(
        "member_all", role=Role.MEMBER, rights=frozenset({Right.ALL_ACCOUNTS})
    ),
    "member_unassigned": Persona(
        "member_unassigned", role=Role.MEMBER, assigned=frozenset({OTHER_ACCOUNT})
    ),
    "member_mentioned": Persona(MENTIONED_USER, role=Role.MEMBER),
    "client_of_account": _client("contact_1", ACCOUNT),
    "client_of_account_replies_only": _client(
        "contact_2", ACCOUNT, settings=FirmSettings(clients_can_start_threads=False)
    ),
    "client_of_other_account": _client("contact_3", OTHER_ACCOUNT),
    "other_firm_owner": Persona("owner", role=Role.OWNER, firm_id=OTHER_FIRM),
}

THREAD = ThreadFacts(
    firm_id=FIRM, account_id=ACCOUNT, mentioned_user_ids=frozenset({MENTIONED_USER})
)

OTHER_ACCOUNT_VIEWERS = frozenset(
    {"owner", "admin", "member_all_accounts", "member_unassigned", "client_of_other_account"}
)
"""The personas who may see a thread of the other account of firm 1 (which mentions no one)."""
