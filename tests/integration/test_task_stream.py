"""What the stream worker does with task changes: each change's events go to the task
events bus once however often the stream delivers it (TK-9), and a thread's client emails
carry its open tasks, their texts when the firm shows content, else how many (TK-8)."""

import json
from typing import Any

import pytest

from firmchat.domain.principal import FirmSettings
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn
from tests.support.streams import TableStream

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-client")


def _world(core_settings: Any, lambda_function: Any, shown: bool) -> dict[str, Any]:
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject, settings=FirmSettings(show_content_in_client_emails=shown))
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    stream = TableStream(core_settings.get_att("ChatTable", "StreamArn"))
    worker = lambda_function("StreamWorkerFunction")
    worker.invoke(stream.event())
    return {"api": HttpApi(lambda_function("HttpApiFunction")), "worker": worker, "stream": stream}


def _thread(api: HttpApi) -> str:
    answer = api.call(
        "POST",
        "/threads",
        OWNER,
        {
            "account_id": "acct-1",
            "subject": "Year end",
            "message": {"client_id": "first-msg-1", "body": "<p>Hello</p>"},
            "tasks": [
                {"task_id": "task-w2-form", "text": "Upload your W-2"},
                {"task_id": "task-sign-it", "text": 'Sign <a href="https://example.org/s">it</a>'},
            ],
        },
    )
    assert answer.status == 201, answer.body
    return str(answer.body["thread_id"])


def _published(aws_calls: Any) -> list[dict[str, Any]]:
    return [entry for call in aws_calls.of("events", "PutEvents") for entry in call.body["Entries"]]


def test_each_change_is_published_once_however_often_the_stream_delivers_it(
    core_settings: Any, lambda_function: Any, aws_calls: Any
) -> None:
    world = _world(core_settings, lambda_function, shown=False)
    api: HttpApi = world["api"]
    thread_id = _thread(api)
    for task_id in ("task-w2-form", "task-sign-it"):
        api.call("PUT", f"/threads/{thread_id}/tasks/{task_id}/done", CLIENT, {"done": True})
    api.call("PUT", f"/threads/{thread_id}/tasks/task-sign-it/done", OWNER, {"done": False})
    api.call("DELETE", f"/threads/{thread_id}/tasks/task-w2-form", OWNER)
    event = world["stream"].event()
    for _ in range(2):  # the same batch, delivered again
        assert world["worker"].invoke(event) == {"batchItemFailures": []}

    entries = _published(aws_calls)
    kinds = [entry["DetailType"] for entry in entries]
    assert kinds == [
        "Task created",
        "Task created",
        "Task completed",
        "Task completed",
        "All tasks completed",
        "Task reopened",
        "Task deleted",
    ]
    details = [json.loads(entry["Detail"]) for entry in entries]
    assert {entry["Source"] for entry in entries} == {"firmchat.tasks"}
    assert len({detail["event_id"] for detail in details}) == len(details)
    assert details[0]["task"] == {
        "task_id": "task-w2-form",
        "text": "Upload your W-2",
        "done": False,
    }
    assert details[2]["actor"]["kind"] == "client_user"
    assert (details[4]["done"], details[4]["total"]) == (2, 2)
    assert all(detail["thread_id"] == thread_id for detail in details)


@pytest.mark.parametrize("shown", [True, False], ids=["content shown", "content hidden"])
def test_client_emails_carry_the_open_tasks(
    core_settings: Any, lambda_function: Any, aws_calls: Any, shown: bool
) -> None:
    world = _world(core_settings, lambda_function, shown=shown)
    _thread(world["api"])
    assert world["worker"].invoke(world["stream"].event()) == {"batchItemFailures": []}
    (email,) = [call.body for call in aws_calls.of("sesv2", "SendEmail")]
    text = email["Content"]["Simple"]["Body"]["Text"]["Data"]
    html = email["Content"]["Simple"]["Body"]["Html"]["Data"]
    if shown:
        assert "Open tasks (2)" in text
        assert "Upload your W-2" in text
        assert "Sign it (https://example.org/s)" in text
        assert "Upload your W-2" in html
    else:
        assert "2 tasks are open for you in the portal" in text
        assert "Upload your W-2" not in text
        assert "Upload your W-2" not in html
