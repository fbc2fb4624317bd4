"""The uploads queue (S3 -> SQS, and the malware scan's verdict through EventBridge): each
new object registers its document (scanning), each verdict settles it (ready or blocked)
and unpacks a clean zip. A message that fails is reported back (ReportBatchItemFailures)
and retried; after five receipts the queue moves it to the failure queue."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from firmchat.domain.documents import Arrival, queue_message
from firmchat.observability import lambda_entry
from firmchat.root import root

documents = root().documents
# Without the scanner (the MalwareScanning parameter off), an arrival is its own verdict.
scanning = root().settings.malware_scanning == "true"
processor = BatchProcessor(event_type=EventType.SQS)


def handle_record(record: SQSRecord) -> None:
    for news in queue_message(json.loads(record.body)):
        if isinstance(news, Arrival):
            documents.arrived(news.key, news.size)
            if not scanning:
                documents.scanned(news.key, None)
        else:
            documents.scanned(news.key, news.blocked)


@lambda_entry("Records[0].messageId")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
    )
