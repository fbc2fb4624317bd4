"""The end of a burst of client emails: called by its one-time schedule with (firm, thread,
contact, end of the window), it sends the one follow-up of the messages folded into it,
unless the contact read them meanwhile. A failure is retried by the scheduler, then lands
in the failure queue."""

from typing import Any

from firmchat.observability import lambda_entry, logger
from firmchat.root import root

client_emails = root().client_emails


@lambda_entry("thread_id")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    outcome = client_emails.follow_up(
        str(event["firm_id"]),
        str(event["thread_id"]),
        str(event["contact_id"]),
        str(event["until"]),
    )
    logger.info(
        "follow-up of a burst", extra={"emailed": len(outcome.sent), "skipped": outcome.skipped}
    )
    return {"sent": len(outcome.sent), "skipped": outcome.skipped}
