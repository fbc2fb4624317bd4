"""What the stream worker's schedules name, in an in-process moto account: their group,
role, target function and failure queue, so the functions' environments resolve."""

import boto3

from localcloud.template import Resolver, resources_of_type


def create_schedule_targets(resolver: Resolver) -> None:
    sqs = boto3.client("sqs")
    failures = sqs.create_queue(QueueName="async-failures")["QueueUrl"]
    resolver.attributes[("AsyncFailureQueue", "Arn")] = sqs.get_queue_attributes(
        QueueUrl=failures, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    account, region = resolver.account_id, resolver.region
    resolver.attributes[("ClientEmailFollowUpFunction", "Arn")] = (
        f"arn:aws:lambda:{region}:{account}:function:ClientEmailFollowUpFunction"
    )
    resolver.attributes[("SchedulerRole", "Arn")] = f"arn:aws:iam::{account}:role/SchedulerRole"
    groups = resources_of_type(resolver.template, "AWS::Scheduler::ScheduleGroup")
    group = str(resolver.resolve(groups["NotificationScheduleGroup"]["Properties"]["Name"]))
    boto3.client("scheduler").create_schedule_group(Name=group)
    resolver.refs["NotificationScheduleGroup"] = group
