"""The local cloud's moto DynamoDB keeps moto's meaning at volume: a cancelled transaction
changes nothing (no item, no stream record), without copying the table; stream records are
kept 24 hours; shard iterators expire after 15 minutes."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.utils import utcnow
from moto.dynamodb.models import table as moto_table

from localcloud import moto_dynamodb

TABLE = "undo"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for owner, name, replacement in moto_dynamodb.PATCHES:
        monkeypatch.setattr(owner, name, replacement)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        yield client


def _key(sk: str) -> dict[str, Any]:
    return {"PK": {"S": "firm"}, "SK": {"S": sk}}


def _put(client: Any, sk: str, value: str) -> None:
    client.put_item(TableName=TABLE, Item={**_key(sk), "v": {"S": value}})


def _everything(client: Any) -> list[dict[str, Any]]:
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda item: item["SK"]["S"])


class Stream:
    def __init__(self, client: Any) -> None:
        self.arn = client.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
        self.streams: Any = boto3.client("dynamodbstreams", region_name="us-east-1")
        self.shard = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"][
            "Shards"
        ][0]["ShardId"]

    def iterator(self, kind: str = "TRIM_HORIZON") -> str:
        return str(
            self.streams.get_shard_iterator(
                StreamArn=self.arn, ShardId=self.shard, ShardIteratorType=kind
            )["ShardIterator"]
        )

    def records(self, iterator: str | None = None) -> list[dict[str, Any]]:
        page = self.streams.get_records(ShardIterator=iterator or self.iterator())
        return list(page["Records"])


def _update(sk: str, value: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": TABLE,
            "Key": _key(sk),
            "UpdateExpression": "SET v = :v",
            "ExpressionAttributeValues": {":v": {"S": value}},
        }
    }


def test_the_patch_is_for_this_moto():
    # Re-read moto's transact_write_items and StreamShard when moto moves, then bump this.
    assert moto.__version__ == moto_dynamodb.MOTO_VERSION


def test_a_cancelled_transaction_changes_nothing(dynamodb):
    _put(dynamodb, "a", "kept")
    _put(dynamodb, "c", "kept")
    stream = Stream(dynamodb)
    before, records_before = _everything(dynamodb), stream.records()

    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                _update("a", "changed"),
                {"Put": {"TableName": TABLE, "Item": {**_key("b"), "v": {"S": "new"}}}},
                {"Delete": {"TableName": TABLE, "Key": _key("c")}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": _key("missing"),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )

    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _everything(dynamodb) == before
    assert stream.records() == records_before
    _put(dynamodb, "d", "after")  # the next record follows the last one before the cancel
    numbers = [int(record["dynamodb"]["SequenceNumber"]) for record in stream.records()]
    assert numbers == list(range(numbers[0], numbers[0] + len(records_before) + 1))


def test_a_refused_transaction_changes_nothing(dynamodb):
    _put(dynamodb, "a", "kept")
    stream = Stream(dynamodb)
    before, records_before = _everything(dynamodb), stream.records()

    with pytest.raises(ClientError) as refused:  # two actions on one item
        dynamodb.transact_write_items(TransactItems=[_update("a", "one"), _update("a", "two")])

    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert _everything(dynamodb) == before
    assert stream.records() == records_before


def test_a_committed_transaction_writes_every_item_and_its_records(dynamodb):
    _put(dynamodb, "a", "old")
    stream = Stream(dynamodb)
    after_put = stream.iterator("LATEST")

    dynamodb.transact_write_items(
        TransactItems=[
            _update("a", "new"),
            {"Put": {"TableName": TABLE, "Item": {**_key("b"), "v": {"S": "new"}}}},
        ]
    )

    assert [item["v"]["S"] for item in _everything(dynamodb)] == ["new", "new"]
    assert [record["eventName"] for record in stream.records(after_put)] == ["MODIFY", "INSERT"]


def test_stream_records_are_kept_24_hours(dynamodb, monkeypatch):
    stream = Stream(dynamodb)
    old_iterator = stream.iterator()
    monkeypatch.setattr(moto_table, "utcnow", lambda: utcnow() - timedelta(hours=25))
    _put(dynamodb, "old", "x")
    monkeypatch.undo()  # the patches too: put them back for the rest of the test
    for owner, name, replacement in moto_dynamodb.PATCHES:
        monkeypatch.setattr(owner, name, replacement)
    _put(dynamodb, "new", "x")

    assert [r["dynamodb"]["Keys"]["SK"]["S"] for r in stream.records()] == ["new"]
    with pytest.raises(ClientError) as trimmed:
        stream.records(old_iterator)
    assert trimmed.value.response["Error"]["Code"] == "TrimmedDataAccessException"


def test_shard_iterators_expire(dynamodb, monkeypatch):
    stream = Stream(dynamodb)
    iterator = stream.iterator()
    monkeypatch.setattr(moto_dynamodb, "ITERATOR_SECONDS", -1)

    with pytest.raises(ClientError) as expired:
        stream.records(iterator)
    assert expired.value.response["Error"]["Code"] == "ExpiredIteratorException"
