"""Mail received at the reply domain (MS-7): SES stored each message in the inbound bucket,
then calls this with its receipt (verdicts, envelope, recipients). A reply lands in its
thread or is answered kindly; a mailto unsubscribe turns notify off; spam, automatic and
list mail are dropped (firmchat.services.replies). A failure is retried by Lambda's
asynchronous invocation, then lands in the failure queue."""

from typing import Any

from firmchat.domain.inbound import Receipt
from firmchat.observability import lambda_entry, logger
from firmchat.root import root

replies = root().replies


@lambda_entry("Records[0].ses.mail.messageId")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    outcomes = [replies.receive(Receipt.from_record(record)) for record in event["Records"]]
    for outcome in outcomes:
        logger.info("received mail", extra={"outcome": outcome.outcome, "reason": outcome.reason})
    return {"outcomes": [[outcome.outcome, outcome.reason] for outcome in outcomes]}
