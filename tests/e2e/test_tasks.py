"""Client tasks through the local cloud (TK-1 to TK-9): the firm adds three tasks with a new
thread, the client ticks two from the dashboard and the last one in the thread (over the
socket), the creator hears "all done" once, counters and filters agree at every step, and
every task event arrives on the task events bus once."""

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
from websockets.sync.client import connect

from localcloud.cloud import Endpoints
from tests.e2e.conftest import login_of
from tests.support.waiting import bearer, eventually


def test_three_tasks_ticked_by_the_client_end_in_one_all_done_and_events_once_each(
    endpoints: Endpoints,
    http: httpx.Client,
    console: httpx.Client,
    id_token: Any,
    aws_client: Callable[..., Any],
) -> None:
    owner = bearer(id_token, "owner")
    client_token = id_token("contact of Lovelace")
    client = {"Authorization": f"Bearer {client_token}"}
    accounts = http.get("/accounts", headers=owner, params={"size": 250}).json()["accounts"]
    account_id = next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace")
    # Other e2e tests (test_streams) turn off Ada's access; the owner turns it back on.
    for contact in http.get(f"/accounts/{account_id}/contacts", headers=owner).json():
        path = f"/accounts/{account_id}/contacts/{contact['contact_id']}"
        assert http.patch(path, headers=owner, json={"portal_access": True}).is_success
    run = uuid.uuid4().hex[:8]
    task_ids = [f"task-{run}-{n}" for n in range(3)]
    created = http.post(
        "/threads",
        headers=owner,
        json={
            "account_id": account_id,
            "subject": f"Year-end checklist {run}",
            "message": {"client_id": uuid.uuid4().hex, "body": "<p>Three things, please</p>"},
            "tasks": [
                {"task_id": task_id, "text": text}
                for task_id, text in zip(
                    task_ids,
                    ("Upload your W-2", "Sign the letter", "Confirm the bank"),
                    strict=True,
                )
            ],
        },
    )
    assert created.status_code == 201, created.text
    thread_id = created.json()["thread_id"]

    def agree(done: int) -> None:
        """The thread's counter, the task list and the three filters say the same."""
        row = http.get(f"/threads/{thread_id}", headers=owner).json()
        assert (row["tasks_done"], row["tasks_total"]) == (done, 3)
        listed = http.get(f"/threads/{thread_id}/tasks", headers=client).json()
        assert (listed["done"], listed["total"]) == (done, 3)
        for which, holds in (
            ("with_tasks", True),
            ("not_completed", done < 3),
            ("completed", done == 3),
        ):
            page = http.get(
                f"/accounts/{account_id}/threads",
                headers=owner,
                params={"tasks": which, "size": 250},
            ).json()["threads"]
            assert (thread_id in [t["thread_id"] for t in page]) is holds, which

    def dashboard_tasks() -> list[str]:
        rows = http.get("/dashboard/tasks", headers=client, params={"size": 250}).json()
        return [
            task["task_id"]
            for row in rows["threads"]
            if row["thread"]["thread_id"] == thread_id
            for task in row["tasks"]["tasks"]
        ]

    agree(0)
    assert dashboard_tasks() == task_ids
    for step, task_id in enumerate(task_ids[:2], start=1):
        ticked = http.put(
            f"/threads/{thread_id}/tasks/{task_id}/done", headers=client, json={"done": True}
        )
        assert ticked.status_code == 200, ticked.text
        agree(step)
        assert dashboard_tasks() == task_ids[step:]

    ticket = http.post("/ws-tickets", headers=client).json()["ticket"]
    with connect(f"{endpoints.websocket}?ticket={ticket}", open_timeout=30) as socket:
        socket.send(
            json.dumps(
                {
                    "action": "set_task_done",
                    "thread_id": thread_id,
                    "task_id": task_ids[2],
                    "done": True,
                }
            )
        )
        while (frame := json.loads(socket.recv(timeout=30)))["type"] != "tasks_saved":
            pass
    assert frame["tasks"]["done"] == 3
    agree(3)
    assert dashboard_tasks() == []

    owner_email = login_of(endpoints, "owner")["email"]

    def all_done_emails() -> list[dict[str, Any]]:
        return [
            mail
            for mail in console.get(endpoints.mail_json).json()
            if f"/threads/{thread_id}" in (mail["text"] or "")
            and "completed every task" in mail["subject"]
        ]

    def to_the_creator() -> list[dict[str, Any]]:
        return [mail for mail in all_done_emails() if mail["to"] == [owner_email]]

    (email,) = eventually(to_the_creator)
    assert "Ada Lovelace completed every task" in email["subject"]
    member_email = login_of(endpoints, "member assigned to Lovelace")["email"]
    assert eventually(lambda: [mail for mail in all_done_emails() if mail["to"] == [member_email]])

    def top_of_inbox() -> dict[str, Any] | None:
        entries = http.get("/inbox", headers=owner).json()["entries"]
        mine = [entry for entry in entries if entry["thread_id"] == thread_id]
        return mine[0] if mine and mine[0]["activity"] == "all_tasks_done" else None

    entry = eventually(top_of_inbox)
    assert entry is not None
    assert entry["actor"]["name"] == "Ada Lovelace"

    sqs = aws_client("sqs")
    queue = endpoints.resources["TaskEventsTapQueue"]
    arrived: list[dict[str, Any]] = []

    def every_event() -> bool:
        answer = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in answer.get("Messages", []):
            event = json.loads(message["Body"])
            if event["detail"]["thread_id"] == thread_id:
                arrived.append(event)
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        return len(arrived) >= 7

    eventually(every_event)
    time.sleep(2)  # anything published twice would have arrived by now
    every_event()
    kinds = Counter(event["detail-type"] for event in arrived)
    assert kinds == {"Task created": 3, "Task completed": 3, "All tasks completed": 1}
    ids = [event["detail"]["event_id"] for event in arrived]
    assert len(ids) == len(set(ids))
    assert all(event["source"] == "firmchat.tasks" for event in arrived)
    assert len(to_the_creator()) == 1
