"""The scheduler fires due EventBridge Scheduler schedules when the local clock moves."""

import json
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from localcloud.cloud import Endpoints

THREE_DAYS = 3 * 24 * 3600


@pytest.fixture
def queue(aws_client, endpoints):
    sqs = aws_client("sqs")
    url = sqs.create_queue(QueueName=f"e2e-reminders-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    yield sqs, url, arn
    sqs.delete_queue(QueueUrl=url)


def _local_now(console: httpx.Client, endpoints: Endpoints) -> datetime:
    return datetime.fromisoformat(console.get(endpoints.clock).json()["now"])


def test_a_one_time_schedule_fires_once_the_clock_reaches_it(console, endpoints, aws_client, queue):
    sqs, url, arn = queue
    scheduler = aws_client("scheduler")
    name = f"reminder-{uuid.uuid4().hex[:8]}"
    group = endpoints.resources["ReminderScheduleGroup"]
    due = _local_now(console, endpoints) + timedelta(seconds=THREE_DAYS)
    scheduler.create_schedule(
        Name=name,
        GroupName=group,
        ScheduleExpression=f"at({due.strftime('%Y-%m-%dT%H:%M:%S')})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": f"arn:aws:iam::123456789012:role/{endpoints.resources['SchedulerRole']}",
            "Input": json.dumps({"remind": "three days later"}),
        },
        ActionAfterCompletion="DELETE",
    )

    one_day = console.post(endpoints.clock, json={"advance_seconds": 24 * 3600}).json()
    assert name not in one_day["fired"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)

    the_rest = console.post(endpoints.clock, json={"advance_seconds": 2 * 24 * 3600 + 60}).json()
    assert name in the_rest["fired"]
    message = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"][0]
    assert json.loads(message["Body"]) == {"remind": "three days later"}
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=name, GroupName=group)


def test_the_clock_refuses_to_go_back(console, endpoints):
    response = console.post(endpoints.clock, json={"advance_seconds": -1})

    assert response.status_code == 400
