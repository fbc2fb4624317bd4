"""The inbound side of replies by email: the raw messages SES stored in S3, and the ledger
of kind answers in the chat table (docs/data-model.md, "Notifications")."""

from typing import TYPE_CHECKING, Final

from botocore.exceptions import ClientError

from firmchat.domain import keys
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_s3 import S3Client

KIND_REPLY_ANSWER: Final = "reply_answer"
KEEP_SECONDS: Final = 2 * 24 * 3600  # past the day it stands for, then the TTL removes it


class DynamoReplyAnswers:
    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def _key(self, firm_id: str, thread_id: str, sender: str, day: str) -> dict[str, str]:
        return {
            "PK": keys.reply_answers_partition(firm_id, thread_id),
            "SK": keys.reply_answer_sort_key(sender, day),
        }

    def claim(self, firm_id: str, thread_id: str, sender: str, day: str) -> bool:
        try:
            self._table.put_item(
                Item={
                    **self._key(firm_id, thread_id, sender, day),
                    "kind": KIND_REPLY_ANSWER,
                    "expires_at": epoch_seconds(self._clock) + KEEP_SECONDS,
                },
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, firm_id: str, thread_id: str, sender: str, day: str) -> None:
        self._table.delete_item(Key=self._key(firm_id, thread_id, sender, day))


class S3RawMail:
    """The receipt rule's S3 action stores each message under `<prefix><SES message id>`."""

    def __init__(self, bucket: str, prefix: str, client: "S3Client") -> None:
        self._bucket = bucket
        self._prefix = prefix
        self._s3 = client

    def read(self, message_id: str) -> bytes | None:
        try:
            found = self._s3.get_object(Bucket=self._bucket, Key=self._prefix + message_id)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        return found["Body"].read()
