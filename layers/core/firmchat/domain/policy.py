"""The one access policy: every "may this principal do that?" in firmchat is answered here.

Spec CH-2 (who may create a thread), CH-7 (who may see one), DC-1 (who may attach) and
DC-2/DC-3 (who manages the client's folders; `folder_visible` says which folders a client
sees), TK-2
(who may check and manage tasks) and the administration of the firm, in one module. HTTP
routes, WebSocket actions, lists, push recipient lists and email audiences all ask it, so a
read check and a push can never disagree.

How to use it
-------------
Build the facts of the thing acted on, then ask::

    facts = ThreadFacts(firm_id=..., account_id=thread.account_id,
                        mentioned_user_ids=thread.mentioned_user_ids)
    require(principal, Operation.POST_MESSAGE, facts)   # raises, or returns None
    if allowed(principal, Operation.SEE_DOCUMENT, facts): ...
    recipients = audience(facts, candidates)             # who may receive its pushes/emails

- `require` raises `NotFoundError` when the principal may not even see the target (another
  firm's, another account's, or simply missing: callers raise `thread_not_found()` /
  `account_not_found()` for a missing item, which carry the very same message), and
  `ForbiddenError` when the target is visible but this operation is not allowed.
- Account-level operations (`SEE_ACCOUNT`, `CREATE_THREAD`) take `AccountFacts`; thread-level
  operations take `ThreadFacts` (the thread's account and the firm users @mentioned in it,
  who may see it, CH-7). Firm-wide operations (`ADMINISTER`, `MANAGE_OWNERS`) take none.
- `account_scope` tells a list query which accounts to read; every row it returns is still
  the policy's to admit (a member also sees threads they are mentioned in).

Denials come first: a different firm, then visibility, then the operation's own rule.
"""

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from firmchat.domain.principal import Principal, Right, Role
from firmchat.errors import ForbiddenError, NotFoundError

THREAD_NOT_FOUND = "no such thread"
ACCOUNT_NOT_FOUND = "no such client account"


class Operation(StrEnum):
    SEE_ACCOUNT = "see_account"  # the account, its contacts' names and its thread list
    CREATE_THREAD = "create_thread"
    SEE_THREAD = "see_thread"
    POST_MESSAGE = "post_message"
    MANAGE_THREAD = "manage_thread"  # archive, reopen, delete, reminders, linked jobs
    MANAGE_TASKS = "manage_tasks"  # add, reorder, delete, resend client tasks
    CHECK_TASK = "check_task"  # check and uncheck
    ATTACH_DOCUMENT = "attach_document"  # upload into the thread, delete its documents
    SEE_DOCUMENT = "see_document"  # list, download and view the thread's documents
    MANAGE_FOLDERS = "manage_folders"  # the account's top-level folders and their access
    ADMINISTER = "administer"  # users, assignments, accounts, contacts, settings
    MANAGE_OWNERS = "manage_owners"  # grant, change or remove the owner role


class Decision(StrEnum):
    ALLOW = "allow"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"


class AccountFacts(BaseModel):
    """What the policy needs to know of a client account."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    firm_id: str
    account_id: str


class ThreadFacts(AccountFacts):
    """What the policy needs to know of a thread: its account and who is @mentioned in it."""

    mentioned_user_ids: frozenset[str] = frozenset()


class AccountScope(BaseModel):
    """The accounts a principal's lists cover: every account, or the ones named."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    all_accounts: bool
    account_ids: frozenset[str] = frozenset()


ACCOUNT_OPERATIONS = frozenset(
    {Operation.SEE_ACCOUNT, Operation.CREATE_THREAD, Operation.MANAGE_FOLDERS}
)
FIRM_OPERATIONS = frozenset({Operation.ADMINISTER, Operation.MANAGE_OWNERS})
THREAD_OPERATIONS = frozenset(Operation) - ACCOUNT_OPERATIONS - FIRM_OPERATIONS
_FIRM_USERS_ONLY = frozenset(
    {Operation.MANAGE_THREAD, Operation.MANAGE_TASKS, Operation.MANAGE_FOLDERS}
)
_NEEDS_DOCUMENTS_RIGHT = frozenset({Operation.ATTACH_DOCUMENT, Operation.MANAGE_FOLDERS})

_FORBIDDEN_MESSAGES = {
    Operation.MANAGE_THREAD: "only the firm's team with access to the account may do this",
    Operation.MANAGE_TASKS: "only the firm's team may add, reorder or delete client tasks",
    Operation.CREATE_THREAD: "the firm lets clients reply only; new threads come from the firm",
    Operation.ATTACH_DOCUMENT: "attaching files needs the manage-documents right",
    Operation.MANAGE_FOLDERS: "managing the client's folders needs the manage-documents right",
    Operation.ADMINISTER: "only the firm's owners and admins may manage the firm",
    Operation.MANAGE_OWNERS: "only an owner may grant, change or remove the owner role",
}


def thread_not_found() -> NotFoundError:
    """The error for a thread that is missing, exactly as for one that is not yours."""
    return NotFoundError(THREAD_NOT_FOUND)


def account_not_found() -> NotFoundError:
    """The error for an account that is missing, exactly as for one that is not yours."""
    return NotFoundError(ACCOUNT_NOT_FOUND)


def _works_on_every_account(principal: Principal) -> bool:
    return principal.is_firm_user and (
        principal.role in (Role.OWNER, Role.ADMIN) or Right.ALL_ACCOUNTS in principal.rights
    )


def has_account_access(principal: Principal, account_id: str) -> bool:
    """The account is the client user's own, or the firm user may work on it (CH-7 without
    the mentions: those open one thread, not the account)."""
    if principal.is_client_user:
        return principal.account_id == account_id
    return _works_on_every_account(principal) or account_id in principal.assigned_account_ids


def account_scope(principal: Principal) -> AccountScope:
    if _works_on_every_account(principal):
        return AccountScope(all_accounts=True)
    if principal.is_client_user:
        return AccountScope(all_accounts=False, account_ids=frozenset({str(principal.account_id)}))
    return AccountScope(all_accounts=False, account_ids=principal.assigned_account_ids)


def _decide_firm_wide(principal: Principal, operation: Operation) -> Decision:
    if operation is Operation.MANAGE_OWNERS:
        return Decision.ALLOW if principal.role is Role.OWNER else Decision.FORBIDDEN
    return Decision.ALLOW if principal.role in (Role.OWNER, Role.ADMIN) else Decision.FORBIDDEN


def _sees(principal: Principal, operation: Operation, target: AccountFacts) -> bool:
    if has_account_access(principal, target.account_id):
        return True
    return (
        principal.is_firm_user
        and isinstance(target, ThreadFacts)
        and operation in THREAD_OPERATIONS
        and principal.user_id in target.mentioned_user_ids
    )


def _refused(principal: Principal, operation: Operation, target: AccountFacts) -> bool:
    """The denials of a visible target, one rule a line."""
    return any(
        (
            principal.is_client_user and operation in _FIRM_USERS_ONLY,
            operation is Operation.MANAGE_THREAD
            and not has_account_access(principal, target.account_id),
            principal.is_client_user
            and operation is Operation.CREATE_THREAD
            and not principal.settings.clients_can_start_threads,
            principal.role is Role.MEMBER
            and operation in _NEEDS_DOCUMENTS_RIGHT
            and Right.MANAGE_DOCUMENTS not in principal.rights,
        )
    )


def decide(
    principal: Principal, operation: Operation, target: AccountFacts | None = None
) -> Decision:
    """The decision, without raising. `require` and `allowed` are built on it."""
    if operation in FIRM_OPERATIONS:
        return _decide_firm_wide(principal, operation)
    if target is None or (operation in THREAD_OPERATIONS and not isinstance(target, ThreadFacts)):
        raise ValueError(f"{operation} needs the facts of its {_target_word(operation)}")
    if target.firm_id != principal.firm_id or not _sees(principal, operation, target):
        return Decision.NOT_FOUND
    return Decision.FORBIDDEN if _refused(principal, operation, target) else Decision.ALLOW


def _target_word(operation: Operation) -> str:
    return "account" if operation in ACCOUNT_OPERATIONS else "thread"


def allowed(principal: Principal, operation: Operation, target: AccountFacts | None = None) -> bool:
    return decide(principal, operation, target) is Decision.ALLOW


def require(principal: Principal, operation: Operation, target: AccountFacts | None = None) -> None:
    """Returns when allowed; raises NotFoundError (not visible) or ForbiddenError (visible,
    not allowed), with messages that say nothing of whether the target exists."""
    decision = decide(principal, operation, target)
    if decision is Decision.NOT_FOUND:
        raise NotFoundError(
            ACCOUNT_NOT_FOUND if operation in ACCOUNT_OPERATIONS else THREAD_NOT_FOUND
        )
    if decision is Decision.FORBIDDEN:
        raise ForbiddenError(
            _FORBIDDEN_MESSAGES.get(operation, "this is not allowed for your account")
        )


def folder_visible(principal: Principal, access: str) -> bool:
    """DC-2: the firm's team sees every folder of an account it may see; a client user only
    the folders not kept private."""
    return principal.is_firm_user or access != "private"


def audience(thread: ThreadFacts, candidates: Iterable[Principal]) -> list[Principal]:
    """Who may receive the thread's pushes and emails: exactly the candidates who may see it.

    Callers pass the account's client users and the firm users that could matter (owners,
    admins, members with access, the mentioned); notification preferences (a contact's
    notify switch) are applied by the caller after this, never instead of it.
    """
    return [person for person in candidates if allowed(person, Operation.SEE_THREAD, thread)]
