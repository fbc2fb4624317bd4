"""Bursts of client emails (docs/data-model.md, "Notifications"): one item per (thread,
contact) holding the open burst, and its follow-up as a one-time EventBridge Scheduler
schedule that deletes itself after it ran."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import plain
from firmchat.config import Settings
from firmchat.domain import keys
from firmchat.ports.notifications import EmailGroup

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_scheduler import EventBridgeSchedulerClient

KIND_EMAIL_GROUP: Final = "email_group"
KEEP_AFTER: Final = timedelta(days=7)


def _failed_condition(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _stamp(at: datetime) -> str:
    """Times as sortable text: UTC, one format."""
    return at.astimezone(UTC).isoformat()


def _key(firm_id: str, thread_id: str, contact_id: str) -> dict[str, str]:
    return {
        "PK": keys.email_group_partition(firm_id, thread_id),
        "SK": keys.delivery_sort_key(contact_id),
    }


class DynamoEmailGroups:
    def __init__(self, table: "Table") -> None:
        self._table = table

    def open(self, group: EmailGroup, at: datetime) -> bool:
        try:
            self._table.put_item(
                Item={
                    **_key(group.firm_id, group.thread_id, group.contact_id),
                    "kind": KIND_EMAIL_GROUP,
                    "first_seq": group.first_seq,
                    "last_seq": group.last_seq,
                    "until": _stamp(group.until),
                    "expires_at": int((group.until + KEEP_AFTER).timestamp()),
                },
                ConditionExpression="attribute_not_exists(PK) OR #until <= :at",
                ExpressionAttributeNames={"#until": "until"},
                ExpressionAttributeValues={":at": _stamp(at)},
            )
        except ClientError as error:
            if _failed_condition(error):
                return False
            raise
        return True

    def fold(self, firm_id: str, thread_id: str, contact_id: str, seq: int) -> None:
        try:
            self._table.update_item(
                Key=_key(firm_id, thread_id, contact_id),
                UpdateExpression="SET last_seq = :seq",
                ConditionExpression="last_seq < :seq",
                ExpressionAttributeValues={":seq": seq},
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise

    def drop(self, firm_id: str, thread_id: str, contact_id: str, first_seq: int) -> None:
        try:
            self._table.delete_item(
                Key=_key(firm_id, thread_id, contact_id),
                ConditionExpression="first_seq = :seq AND last_seq = :seq",
                ExpressionAttributeValues={":seq": first_seq},
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise

    def get(self, firm_id: str, thread_id: str, contact_id: str) -> EmailGroup | None:
        item = self._table.get_item(Key=_key(firm_id, thread_id, contact_id)).get("Item")
        if item is None:
            return None
        found = plain(item)
        return EmailGroup(
            firm_id=firm_id,
            thread_id=thread_id,
            contact_id=contact_id,
            first_seq=int(found["first_seq"]),
            last_seq=int(found["last_seq"]),
            until=datetime.fromisoformat(str(found["until"])),
        )


class SchedulerFollowUps:
    """One `at()` schedule per burst, in UTC, flexible window off, deleted after it ran;
    retried, then sent to the failure queue. Its settings are read when it first schedules:
    the follow-up function, which only sends, cannot name its own ARN in its environment."""

    def __init__(self, client: "EventBridgeSchedulerClient", settings: Settings) -> None:
        self._client = client
        self._settings = settings

    def schedule(self, group: EmailGroup) -> None:
        payload = {
            "firm_id": group.firm_id,
            "thread_id": group.thread_id,
            "contact_id": group.contact_id,
            "until": group.until.isoformat(),
        }
        name = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:48]
        at = group.until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        try:
            settings = self._settings
            self._client.create_schedule(
                Name=f"follow-up-{name}",
                GroupName=settings.schedule_group,
                ScheduleExpression=f"at({at})",
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                Target={
                    "Arn": settings.follow_up_function_arn,
                    "RoleArn": settings.scheduler_role_arn,
                    "Input": json.dumps(payload),
                    "RetryPolicy": {"MaximumRetryAttempts": 5, "MaximumEventAgeInSeconds": 3600},
                    "DeadLetterConfig": {"Arn": settings.schedule_failure_queue_arn},
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConflictException":
                raise
