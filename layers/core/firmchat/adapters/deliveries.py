"""Which notifications were sent, so a redelivered stream batch sends nothing twice.

Each (event, recipient) has one mark item. Before sending, the sender claims it with a
conditional put (free, or a claim whose lease ran out: a sender that died mid-way); after
sending it confirms it as sent; when sending fails it releases it for the retry. Marks
expire (the table's TTL) long after the stream's 24-hour retention.
"""

from typing import TYPE_CHECKING, Final

from botocore.exceptions import ClientError

from firmchat.domain import keys
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


KIND_DELIVERY: Final = "delivery"
LEASE_SECONDS: Final = 120
KEEP_SECONDS: Final = 7 * 24 * 3600


class DynamoDeliveryLedger:
    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def _key(self, firm_id: str, event_id: str, recipient: str) -> dict[str, str]:
        return {
            "PK": keys.deliveries_partition(firm_id, event_id),
            "SK": keys.delivery_sort_key(recipient),
        }

    def claim(self, firm_id: str, event_id: str, recipient: str) -> bool:
        """True when this sender may send now; False when it was sent (or is being sent)."""
        now = epoch_seconds(self._clock)
        try:
            self._table.put_item(
                Item={
                    **self._key(firm_id, event_id, recipient),
                    "kind": KIND_DELIVERY,
                    "state": "claimed",
                    "lease_until": now + LEASE_SECONDS,
                    "expires_at": now + KEEP_SECONDS,
                },
                ConditionExpression=(
                    "attribute_not_exists(PK) OR (#state = :claimed AND lease_until < :now)"
                ),
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":claimed": "claimed", ":now": now},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def confirm(self, firm_id: str, event_id: str, recipient: str) -> None:
        self._table.update_item(
            Key=self._key(firm_id, event_id, recipient),
            UpdateExpression="SET #state = :sent REMOVE lease_until",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":sent": "sent"},
        )

    def release(self, firm_id: str, event_id: str, recipient: str) -> None:
        self._table.delete_item(Key=self._key(firm_id, event_id, recipient))
