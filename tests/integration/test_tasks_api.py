"""Client tasks over the HTTP API function (TK-1 to TK-7, CH-3, CH-8): the checklist, the
task-list update messages, the counters and filters, and every bad input refused whole."""

from typing import Any

import pytest

from firmchat.domain.principal import Role
from firmchat.domain.task_input import MAX_TASKS
from testkit.people import Seeder
from tests.support.api import Answer, HttpApi, SignIn

FIRM, OTHER_FIRM = "firm-1", "firm-2"
OWNER = SignIn(FIRM, "sub-owner")
MEMBER = SignIn(FIRM, "sub-member")
CLIENT = SignIn(FIRM, "sub-client")
OTHER_CLIENT = SignIn(FIRM, "sub-other-client")
STRANGER = SignIn(OTHER_FIRM, "sub-stranger")


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.account(FIRM, "acct-2")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    seeder.client_user(FIRM, "acct-2", "contact-2", OTHER_CLIENT.subject)
    seeder.firm_user(FIRM, "member", MEMBER.subject, Role.MEMBER)
    seeder.firm(OTHER_FIRM, STRANGER.subject)
    return HttpApi(lambda_function("HttpApiFunction"))


def _thread(api: HttpApi, tasks: list[str] | None = None, client_id: str = "first-msg-1") -> Answer:
    body: dict[str, object] = {
        "account_id": "acct-1",
        "subject": "Year end",
        "message": {"client_id": client_id, "body": "<p>Hello</p>"},
    }
    if tasks is not None:
        body["tasks"] = [{"task_id": f"task-{i:04d}", "text": text} for i, text in enumerate(tasks)]
    return api.call("POST", "/threads", OWNER, body)


def _messages(api: HttpApi, thread_id: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = api.call("GET", f"/threads/{thread_id}/messages", OWNER).body[
        "messages"
    ]
    return messages


def _filtered(api: HttpApi, which: str) -> list[str]:
    answer = api.call("GET", f"/accounts/acct-1/threads?tasks={which}", OWNER)
    assert answer.status == 200, answer.body
    return [row["thread_id"] for row in answer.body["threads"]]


def _tasks(api: HttpApi, thread_id: str, who: SignIn = OWNER) -> dict[str, Any]:
    tasks: dict[str, Any] = api.call("GET", f"/threads/{thread_id}/tasks", who).body
    return tasks


def test_tasks_at_creation_checked_by_the_client_counted_and_filtered(api):
    created = _thread(api, ["Upload your W-2", 'Sign <a href="https://example.org/l">here</a>'])
    assert created.status == 201, created.body
    thread_id = created.body["thread_id"]
    assert (created.body["tasks_done"], created.body["tasks_total"]) == (0, 2)
    plain = _thread(api, client_id="first-msg-2").body["thread_id"]
    assert _filtered(api, "with_tasks") == [thread_id]
    assert _filtered(api, "not_completed") == [thread_id]
    assert _filtered(api, "completed") == []
    assert set(_filtered(api, "all")) == {thread_id, plain}

    listed = _tasks(api, thread_id, CLIENT)
    assert [task["task_id"] for task in listed["tasks"]] == ["task-0000", "task-0001"]
    assert listed["tasks"][1]["html"].startswith('Sign <a href="https://example.org/l"')
    assert listed["tasks"][0]["created_by"] == {"kind": "firm_user", "name": "Owner"}

    first = api.call("PUT", f"/threads/{thread_id}/tasks/task-0000/done", CLIENT, {"done": True})
    assert first.status == 200, first.body
    assert first.body["done"] == 1
    update = _messages(api, thread_id)[0]
    assert update["seq"] == 2
    assert "Upload your W-2" in update["text"]

    last = api.call("PUT", f"/threads/{thread_id}/tasks/task-0001/done", CLIENT, {"done": True})
    assert last.body["done"] == 2
    messages = _messages(api, thread_id)
    assert [m["seq"] for m in messages] == [3, 2, 1]
    assert "All tasks are done" in messages[0]["text"]
    assert _filtered(api, "completed") == [thread_id]
    assert _filtered(api, "not_completed") == []
    row = api.call("GET", f"/threads/{thread_id}", OWNER).body
    assert (row["tasks_done"], row["tasks_total"]) == (2, 2)

    reopened = api.call("PUT", f"/threads/{thread_id}/tasks/task-0001/done", OWNER, {"done": False})
    assert reopened.body["done"] == 1
    assert _filtered(api, "not_completed") == [thread_id]


def test_adding_tasks_while_the_update_is_the_latest_message_rewrites_it(api):
    thread_id = _thread(api).body["thread_id"]
    assert _filtered(api, "with_tasks") == []
    for text in ("One", "Two"):
        added = api.call("POST", f"/threads/{thread_id}/tasks", OWNER, {"tasks": [{"text": text}]})
        assert added.status == 200, added.body
    messages = _messages(api, thread_id)
    assert [m["seq"] for m in messages] == [2, 1]
    assert "One" in messages[0]["text"]
    assert "Two" in messages[0]["text"]
    assert _filtered(api, "with_tasks") == [thread_id]

    api.call(
        "POST",
        f"/threads/{thread_id}/messages",
        CLIENT,
        {"client_id": "reply-0001", "body": "ok"},
    )
    api.call("POST", f"/threads/{thread_id}/tasks", OWNER, {"tasks": [{"text": "Three"}]})
    assert [m["seq"] for m in _messages(api, thread_id)] == [4, 3, 2, 1]

    resent = api.call("POST", f"/threads/{thread_id}/tasks/resend", OWNER)
    assert resent.status == 200
    latest = _messages(api, thread_id)[0]
    assert latest["seq"] == 5
    assert all(word in latest["text"] for word in ("One", "Two", "Three"))


def test_reorder_against_a_stale_order_is_a_409_with_the_current_order(api):
    thread_id = _thread(api, ["A", "B", "C"]).body["thread_id"]
    seen = ["task-0000", "task-0001", "task-0002"]
    moved = api.call(
        "PUT",
        f"/threads/{thread_id}/tasks/order",
        OWNER,
        {"seen": seen, "order": ["task-0002", "task-0000", "task-0001"]},
    )
    assert moved.status == 200, moved.body
    stale = api.call(
        "PUT", f"/threads/{thread_id}/tasks/order", OWNER, {"seen": seen, "order": seen[::-1]}
    )
    assert stale.status == 409
    assert stale.body["current_order"] == ["task-0002", "task-0000", "task-0001"]
    now = stale.body["current_order"]
    for order, problem in (
        (now[:2], "leaves out"),
        ([now[0], now[0], now[1]], "twice"),
        ([*now[:2], "task-9999"], "leaves out"),
    ):
        refused = api.call(
            "PUT", f"/threads/{thread_id}/tasks/order", OWNER, {"seen": now, "order": order}
        )
        assert refused.status == 422, refused.body
        assert problem in refused.body["detail"]
    assert [t["task_id"] for t in _tasks(api, thread_id)["tasks"]] == now


def test_bad_input_is_refused_precisely_and_changes_nothing(api: HttpApi) -> None:
    thread_id = _thread(api, ["A"]).body["thread_id"]
    other = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-2",
            "subject": "Other",
            "message": {"client_id": "first-msg-9", "body": "x"},
            "tasks": [{"task_id": "task-other", "text": "Theirs"}],
        },
    ).body["thread_id"]
    before = _tasks(api, thread_id)

    def add(text: str) -> Answer:
        return api.call("POST", f"/threads/{thread_id}/tasks", OWNER, {"tasks": [{"text": text}]})

    assert add("<script>alert(1)</script>").status == 422
    assert add('<img src=x onerror="alert(1)">').status == 422
    assert add('<a href="javascript:alert(1)">x</a>').status == 422
    assert add("   ").status == 422
    assert add("x" * 501).status == 422
    assert add("<b></b>").status == 422
    many = [{"text": f"t{i}"} for i in range(MAX_TASKS)]
    too_many = api.call("POST", f"/threads/{thread_id}/tasks", OWNER, {"tasks": many})
    assert too_many.status == 422
    assert "at most" in too_many.body["detail"]
    unknown = api.call("POST", f"/threads/{thread_id}/tasks", OWNER, {"tasks": [], "x": 1})
    assert unknown.status == 422

    # another thread's task, another firm's thread, a deleted task
    path = f"/threads/{thread_id}/tasks/task-other/done"
    assert api.call("PUT", path, OWNER, {"done": True}).status == 404
    assert api.call("GET", f"/threads/{thread_id}/tasks", STRANGER).status == 404
    assert api.call("GET", f"/threads/{other}/tasks", CLIENT).status == 404
    assert api.call("DELETE", f"/threads/{thread_id}/tasks/task-0000", OWNER).status == 200
    gone = api.call("PUT", f"/threads/{thread_id}/tasks/task-0000/done", CLIENT, {"done": True})
    assert gone.status == 404
    assert gone.body["detail"] == "no such task in this thread"

    # clients check, never manage
    assert add("ok").status == 200
    for method, suffix in (("POST", "/tasks/resend"), ("DELETE", "/tasks/task-0000")):
        refused = api.call(method, f"/threads/{thread_id}{suffix}", CLIENT)
        assert refused.status == 403
    assert [t["text"] for t in _tasks(api, thread_id)["tasks"]] == ["ok"]
    assert before["version"] < _tasks(api, thread_id)["version"]


def test_the_dashboard_lists_open_tasks_and_archived_threads_leave_it(api: HttpApi) -> None:
    thread_id = _thread(api, ["A", "B"]).body["thread_id"]
    board = api.call("GET", "/dashboard/tasks", CLIENT)
    assert board.status == 200, board.body
    assert [row["tasks"]["tasks"][0]["task_id"] for row in board.body["threads"]] == ["task-0000"]
    assert board.body["threads"][0]["tasks"]["tasks"][0]["audience"] == "client"
    assert "created_by" in board.body["threads"][0]["tasks"]["tasks"][0]
    assert "user_id" not in board.body["threads"][0]["tasks"]["tasks"][0]["created_by"]
    assert api.call("GET", "/dashboard/tasks", OTHER_CLIENT).body["threads"] == []
    assert api.call("GET", "/dashboard/tasks", OWNER).status == 403

    api.call("POST", f"/threads/{thread_id}/archive", OWNER)
    assert api.call("GET", "/dashboard/tasks", CLIENT).body["threads"] == []
    archived = api.call("PUT", f"/threads/{thread_id}/tasks/task-0000/done", CLIENT, {"done": True})
    assert archived.status == 409
    api.call("POST", f"/threads/{thread_id}/reopen", OWNER)
    back = api.call("GET", "/dashboard/tasks", CLIENT).body["threads"]
    assert [len(row["tasks"]["tasks"]) for row in back] == [2]


def _operations(thread_id: str) -> list[tuple[str, str, str, SignIn, Any]]:
    base = f"/threads/{thread_id}/tasks"
    return [
        ("list", "GET", base, CLIENT, None),
        ("add", "POST", base, OWNER, {"tasks": [{"task_id": "task-added", "text": "New"}]}),
        ("check", "PUT", f"{base}/task-0000/done", CLIENT, {"done": True}),
        ("check in the same update", "PUT", f"{base}/task-0001/done", CLIENT, {"done": True}),
        ("uncheck", "PUT", f"{base}/task-0001/done", CLIENT, {"done": False}),
        (
            "reorder",
            "PUT",
            f"{base}/order",
            OWNER,
            {
                "seen": ["task-0000", "task-0001", "task-added"],
                "order": ["task-added", "task-0000", "task-0001"],
            },
        ),
        ("delete", "DELETE", f"{base}/task-added", OWNER, None),
        ("resend", "POST", f"{base}/resend", OWNER, None),
        ("dashboard", "GET", "/dashboard/tasks", CLIENT, None),
    ]


@pytest.mark.parametrize("extra", [0, 40], ids=["small firm", "large firm"])
def test_requests_per_task_operation_do_not_grow_with_the_firm(
    api: HttpApi, aws_calls: Any, extra: int
) -> None:
    """Each operation's DynamoDB requests, with no socket open (the push then costs its one
    Query of the firm's connections), are the same for 2 accounts or 42, 1 user or 41, and
    1 thread with tasks or 41; `COSTS` are the counts docs/data-model.md gives."""
    seeder = Seeder()
    for n in range(extra):
        seeder.account(FIRM, f"acct-extra-{n}")
        seeder.firm_user(FIRM, f"member-{n}", f"sub-member-{n}", Role.MEMBER, assigned=["acct-1"])
        _thread(api, ["busy"], client_id=f"busy-thread-{n:04d}")
    thread_id = _thread(api, ["A", "B"]).body["thread_id"]
    counted: dict[str, int] = {}
    for name, method, path, who, body in _operations(thread_id):
        before = len(aws_calls.of("dynamodb"))
        answer = api.call(method, path, who, body)
        assert answer.status == 200, (name, answer.body)
        counted[name] = len(aws_calls.of("dynamodb")) - before
    assert counted == COSTS


SIGN_IN = 3  # the login, the firm and the person's record: the principal
CHANGE = SIGN_IN + 1 + 1 + 1  # the load, the transaction, the push's connections Query
COSTS = {
    "list": SIGN_IN + 1,
    "add": CHANGE,
    "check": CHANGE,
    "check in the same update": CHANGE,
    "uncheck": CHANGE,
    "reorder": CHANGE,
    "delete": CHANGE,
    "resend": CHANGE,
    "dashboard": SIGN_IN + 3,  # the open-tasks query; the lists and read states of the page
}
