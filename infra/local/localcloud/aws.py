"""Where the local AWS is: moto's endpoint, a fake account's credentials, and a boto3 session
whose every client goes to moto (never to a real account)."""

import logging
from dataclasses import dataclass

import boto3

log = logging.getLogger("localcloud")

LOCAL_ACCESS_KEY = "local"
LOCAL_SECRET_KEY = "local"  # noqa: S105 (moto accepts any credentials)


@dataclass(frozen=True)
class LocalAws:
    endpoint: str
    region: str

    @property
    def session(self) -> boto3.Session:
        """Clients of this session must be given `endpoint_url=self.endpoint`."""
        return boto3.Session(
            aws_access_key_id=LOCAL_ACCESS_KEY,
            aws_secret_access_key=LOCAL_SECRET_KEY,
            region_name=self.region,
        )

    def lambda_environment(self) -> dict[str, str]:
        """What Lambda's runtime puts in every function's environment, pointed at moto."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": LOCAL_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": LOCAL_SECRET_KEY,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            # No X-Ray daemon or metrics backend runs locally.
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
        }


def deliver(aws: LocalAws, arn: str, message: str) -> bool:
    """Sends a message to the SQS queue or SNS topic an ARN names; False for other ARNs."""
    service, name = arn.split(":")[2], arn.split(":")[5]
    if service == "sqs":
        sqs = aws.session.client("sqs", endpoint_url=aws.endpoint)
        queue_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        sqs.send_message(QueueUrl=queue_url, MessageBody=message)
    elif service == "sns":
        aws.session.client("sns", endpoint_url=aws.endpoint).publish(TopicArn=arn, Message=message)
    else:
        log.error("the local cloud cannot deliver to %s; the message is dropped", arn)
        return False
    return True
