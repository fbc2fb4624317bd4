"""The chat table's stream: side effects that must not be lost (outbox pattern).

Records are processed one by one through Powertools' BatchProcessor, each dispatched on the
`kind` of its item to the handlers in `stream_handlers`. A record that fails is reported
back (ReportBatchItemFailures) and retried; after the retries the batch goes to the
on-failure destination. Records of kinds nobody handles are done at once.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from stream_handlers import dispatch_table

from firmchat.adapters.items.changes import decode
from firmchat.domain.changes import Change
from firmchat.observability import lambda_entry

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
HANDLERS = dispatch_table()


def change_of(record: DynamoDBRecord) -> Change:
    stream = record.dynamodb
    return decode(
        record["eventName"],
        stream.old_image if stream else None,
        stream.new_image if stream else None,
    )


def handle_record(record: DynamoDBRecord) -> None:
    change = change_of(record)
    for handler in HANDLERS.get(change.kind, ()) if change.kind else ():
        handler(change)


@lambda_entry("Records[0].eventID")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
    )
