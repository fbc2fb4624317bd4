"""The authorization truth table (tests/support/access_table.py), end to end: two firms are
seeded, each persona signs in (the verified claims API Gateway would pass) and every probe
of an operation goes through the HTTP API function or the WebSocket function. The answer
must be the one the table's decision stands for, and every DynamoDB request made while
answering must name the caller's own firm.

Expected answers follow from the table: allow -> the probe's success status (HTTP) or reply
frame type (WebSocket), not found -> 404 or a `not_found` error frame, forbidden -> 403 or a
`forbidden` error frame; a firm-wide operation aimed at another firm's item answers 404 (the
caller may administer their own firm, and their keys cannot reach the other one).

Thread probes aim at the target thread of the table (account A1, mentioning the mentioned
member) or at a throw-away twin of it (for delete); a thread of the other account is there
too, for the firm-wide list. Operations get probes as their endpoints exist; `PROBES` is
the place to add them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from firmchat.domain.documents import Folder, FolderAccess
from firmchat.domain.policy import Decision, Operation
from firmchat.domain.principal import PrincipalKind, Role
from firmchat.root import Root
from localcloud.lambdas import LocalFunction
from testkit.aws_calls import Calls
from testkit.people import Seeder
from tests.support.access_table import (
    ACCOUNT,
    EXPECTED,
    FIRM,
    MENTIONED_USER,
    OTHER_ACCOUNT,
    OTHER_ACCOUNT_VIEWERS,
    OTHER_FIRM,
    PERSONAS,
    Persona,
)
from tests.support.api import HttpApi, SignIn, http_event, ws_event
from tests.support.sockets import pushed_frames

SECOND_OWNER = "owner_2"
SHARED_FOLDER = "shared"
SEED_TASK = "seed-task-1"


@dataclass(frozen=True)
class Seeded:
    """The ids the probes name, known once the threads are made."""

    thread: str
    scratch: str
    other_account_thread: str


@dataclass(frozen=True)
class Probe:
    """A request to the HTTP API; `{thread}` and `{scratch}` in the path name seeded ids."""

    operation: Operation
    method: str
    path: str
    body: Any = None
    success: int = 200

    def answer(self, callers: "Callers", seeded: Seeded) -> object:
        path = self.path.format(thread=seeded.thread, scratch=seeded.scratch)
        event = http_event(self.method, path, callers.sign_in, self.body)
        return callers.http.invoke(event)["statusCode"]

    def expected(self, decision: Decision) -> object:
        return self.success if decision is Decision.ALLOW else STATUS_OF[decision]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class FrameProbe:
    """A frame on a socket of its own; the answer is the reply's type or error code."""

    operation: Operation
    frame: dict[str, Any]
    success: str

    def answer(self, callers: "Callers", seeded: Seeded) -> object:
        frame = {**self.frame, "thread_id": seeded.thread}
        connection_id = f"conn-{self.frame['action']}"
        callers.ws.invoke(ws_event(connection_id, callers.sign_in, frame))
        *_, reply = pushed_frames(connection_id)
        return reply["problem"]["code"] if reply["type"] == "error" else reply["type"]

    def expected(self, decision: Decision) -> object:
        return self.success if decision is Decision.ALLOW else decision.value

    def __str__(self) -> str:
        return f"ws {self.frame['action']}"


@dataclass(frozen=True)
class Callers:
    """The persona, signed in, with the two functions a probe may call."""

    http: LocalFunction
    ws: LocalFunction
    sign_in: SignIn


def _new_thread(client_id: str, mentions: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "account_id": ACCOUNT,
        "subject": "Year-end",
        "message": {"client_id": client_id, "body": "<p>Hello</p>", "mentions": list(mentions)},
    }


PROBES: tuple[Probe | FrameProbe, ...] = (
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
    Probe(Operation.SEE_ACCOUNT, "GET", f"/accounts/{ACCOUNT}/threads"),
    Probe(Operation.SEE_THREAD, "GET", "/threads/{thread}"),
    Probe(Operation.SEE_THREAD, "GET", "/threads/{thread}/messages"),
    Probe(Operation.SEE_THREAD, "GET", "/threads/{thread}/print"),
    Probe(Operation.SEE_THREAD, "POST", "/threads/{thread}/read", {}),
    Probe(Operation.CREATE_THREAD, "POST", "/threads", _new_thread("probe-create"), success=201),
    Probe(
        Operation.POST_MESSAGE,
        "POST",
        "/threads/{thread}/messages",
        {"client_id": "probe-http-post", "body": "<p>Over HTTP</p>"},
        success=201,
    ),
    FrameProbe(
        Operation.POST_MESSAGE,
        {"action": "send", "client_id": "probe-ws-send", "body": "<p>Over the socket</p>"},
        "sent",
    ),
    FrameProbe(Operation.SEE_THREAD, {"action": "mark_read"}, "marked_read"),
    FrameProbe(Operation.POST_MESSAGE, {"action": "typing"}, "typing_sent"),
    Probe(Operation.MANAGE_THREAD, "POST", "/threads/{thread}/archive"),
    Probe(Operation.MANAGE_THREAD, "POST", "/threads/{thread}/reopen"),
    Probe(Operation.MANAGE_THREAD, "DELETE", "/threads/{scratch}", success=204),
    Probe(Operation.SEE_THREAD, "GET", "/threads/{thread}/tasks"),
    Probe(
        Operation.MANAGE_TASKS,
        "POST",
        "/threads/{thread}/tasks",
        {"tasks": [{"task_id": "probe-task-http", "text": "Over HTTP"}]},
    ),
    Probe(Operation.MANAGE_TASKS, "DELETE", "/threads/{thread}/tasks/probe-task-http"),
    FrameProbe(
        Operation.MANAGE_TASKS,
        {"action": "add_tasks", "tasks": [{"task_id": "probe-task-ws", "text": "Over WS"}]},
        "tasks_saved",
    ),
    FrameProbe(
        Operation.MANAGE_TASKS, {"action": "delete_task", "task_id": "probe-task-ws"}, "tasks_saved"
    ),
    Probe(Operation.MANAGE_TASKS, "POST", "/threads/{thread}/tasks/resend"),
    FrameProbe(Operation.MANAGE_TASKS, {"action": "resend_tasks"}, "tasks_saved"),
    Probe(
        Operation.CHECK_TASK, "PUT", f"/threads/{{thread}}/tasks/{SEED_TASK}/done", {"done": True}
    ),
    FrameProbe(
        Operation.CHECK_TASK,
        {"action": "set_task_done", "task_id": SEED_TASK, "done": False},
        "tasks_saved",
    ),
    Probe(Operation.SEE_ACCOUNT, "GET", f"/accounts/{ACCOUNT}/folders"),
    Probe(
        Operation.MANAGE_FOLDERS,
        "POST",
        f"/accounts/{ACCOUNT}/folders",
        {"name": "Probe folder", "access": "private"},
        success=201,
    ),
    Probe(
        Operation.MANAGE_FOLDERS,
        "PATCH",
        f"/accounts/{ACCOUNT}/folders/{SHARED_FOLDER}",
        {"access": "client_can_view_and_edit"},
    ),
    Probe(Operation.SEE_DOCUMENT, "GET", "/threads/{thread}/documents"),
    Probe(
        Operation.ATTACH_DOCUMENT,
        "POST",
        "/threads/{thread}/uploads",
        {
            "folder_id": SHARED_FOLDER,
            "files": [{"name": "probe.pdf", "content_type": "application/pdf", "size": 10}],
        },
        success=201,
    ),
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
    Root().document_store.put_folder(
        Folder(
            firm_id=FIRM,
            account_id=ACCOUNT,
            folder_id=SHARED_FOLDER,
            name="Shared",
            access=FolderAccess.CLIENT_CAN_VIEW,
            created_at=datetime.now(UTC),
        ),
        new=True,
    )
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


def _seed_threads(api: HttpApi) -> Seeded:
    """The target and its throw-away twin (in the account, mentioning the mentioned
    member, as the table's THREAD), and a thread of the other account, made by firm 1's
    owner."""
    owner = SignIn(FIRM, PERSONAS["owner"].subject)
    made = [
        api.call("POST", "/threads", owner, body)
        for body in (
            {
                **_new_thread("seed-target", (MENTIONED_USER,)),
                "tasks": [{"task_id": SEED_TASK, "text": "Send the receipts"}],
            },
            _new_thread("seed-scratch", (MENTIONED_USER,)),
            {**_new_thread("seed-other"), "account_id": OTHER_ACCOUNT},
        )
    ]
    assert [answer.status for answer in made] == [201, 201, 201]
    thread, scratch, other = (str(answer.body["thread_id"]) for answer in made)
    return Seeded(thread=thread, scratch=scratch, other_account_thread=other)


def _decision(persona: Persona, operation: Operation) -> Decision:
    if persona.firm_id != FIRM:
        return Decision.NOT_FOUND
    return EXPECTED[(_name(persona), operation)]


def _name(persona: Persona) -> str:
    return next(name for name, candidate in PERSONAS.items() if candidate is persona)


def _outside_callers_firm(calls: Calls, firm_id: str, since: int) -> list[str]:
    recent = Calls(calls.calls[since:])
    return [f"{call.operation} {call.body}" for call in recent.outside_firm(firm_id)]


@pytest.mark.parametrize("name", list(PERSONAS))
def test_every_operation_answers_as_the_table_says(name, lambda_function, core_settings, aws_calls):
    persona = PERSONAS[name]
    _seed(persona)
    http = lambda_function("HttpApiFunction")
    seeded = _seed_threads(HttpApi(http))
    callers = Callers(
        http, lambda_function("WsDefaultFunction"), SignIn(persona.firm_id, persona.subject)
    )
    surprises: list[str] = []

    for probe in PROBES:
        since = len(aws_calls.calls)
        answer = probe.answer(callers, seeded)
        expected = probe.expected(_decision(persona, probe.operation))
        if answer != expected:
            surprises.append(f"{probe}: {answer}, expected {expected}")
        surprises.extend(_outside_callers_firm(aws_calls, persona.firm_id, since))
    assert surprises == [], f"{name}: {len(surprises)} surprises of {len(PROBES)} probes"


@pytest.mark.parametrize("name", list(PERSONAS))
def test_the_firm_wide_list_holds_exactly_the_threads_one_may_see(
    name, lambda_function, core_settings
):
    persona = PERSONAS[name]
    _seed(persona)
    api = HttpApi(lambda_function("HttpApiFunction"))
    seeded = _seed_threads(api)

    listed = api.call("GET", "/threads", SignIn(persona.firm_id, persona.subject))

    sees_target = _decision(persona, Operation.SEE_THREAD) is Decision.ALLOW
    expected = {seeded.thread, seeded.scratch} if sees_target else set()
    if name in OTHER_ACCOUNT_VIEWERS:
        expected.add(seeded.other_account_thread)
    assert listed.status == 200
    assert {thread["thread_id"] for thread in listed.body["threads"]} == expected


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
