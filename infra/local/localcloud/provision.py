"""Creates the template's resources in moto, so the local copy matches what AWS gets.

Each creator reads one resource type's properties as CloudFormation would and records what
`!Ref` and `!GetAtt` yield, so the functions' environments resolve to the local names.
"""

import json
from typing import TYPE_CHECKING, Any

from localcloud.aws import LocalAws
from localcloud.template import Resolver, resources_of_type

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_sesv2 import SESV2Client

STACK_NAME = "firmchat-local"


def _physical_name(logical_id: str) -> str:
    """A name in the style CloudFormation generates, lowercase so every service accepts it."""
    return f"{STACK_NAME}-{logical_id}".lower()


def _of_type(resolver: Resolver, kind: str) -> dict[str, dict[str, Any]]:
    """The resolved properties of every resource of one type, by logical id."""
    return {
        logical_id: resolver.resolve(resource.get("Properties", {}))
        for logical_id, resource in resources_of_type(resolver.template, kind).items()
    }


def create_tables(resolver: Resolver, dynamodb: "DynamoDBClient") -> None:
    """Tables with their keys, indexes, stream and TTL; `!Ref` then yields the table name."""
    for logical_id, properties in _of_type(resolver, "AWS::DynamoDB::Table").items():
        name = properties.get("TableName", _physical_name(logical_id))
        arguments: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "KeySchema": properties["KeySchema"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "GlobalSecondaryIndexes" in properties:
            arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
        if "StreamSpecification" in properties:
            arguments["StreamSpecification"] = {
                "StreamEnabled": True,
                **properties["StreamSpecification"],
            }
        description = dynamodb.create_table(**arguments)["TableDescription"]
        ttl = properties.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = description["TableArn"]
        if "LatestStreamArn" in description:
            resolver.attributes[(logical_id, "StreamArn")] = description["LatestStreamArn"]


def _renamed(properties: dict[str, Any], names: dict[str, str]) -> Any:
    """CloudFormation properties under the names the service's API gives them."""
    return {names.get(key, key): value for key, value in properties.items()}


def create_buckets(resolver: Resolver, aws: LocalAws) -> None:
    """Buckets with their encryption, public access block, versioning, CORS and policy.

    moto evaluates policies without the request's context, so conditional statements (the
    plain-HTTP deny, the clean-tag deny) are left out here (`_evaluable`).
    """
    s3 = aws.session.client("s3", endpoint_url=aws.endpoint)
    buckets = _of_type(resolver, "AWS::S3::Bucket")
    for logical_id, properties in buckets.items():
        name = properties.get("BucketName", _physical_name(logical_id))
        s3.create_bucket(Bucket=name)
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{name}"
        resolver.attributes[(logical_id, "DomainName")] = f"{name}.s3.amazonaws.com"
        if "BucketEncryption" in properties:
            rules = [
                _renamed(
                    rule, {"ServerSideEncryptionByDefault": "ApplyServerSideEncryptionByDefault"}
                )
                for rule in properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(
                Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules}
            )
        if "PublicAccessBlockConfiguration" in properties:
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration=properties["PublicAccessBlockConfiguration"],
            )
        if "OwnershipControls" in properties:
            s3.put_bucket_ownership_controls(
                Bucket=name, OwnershipControls=properties["OwnershipControls"]
            )
        if "VersioningConfiguration" in properties:
            s3.put_bucket_versioning(
                Bucket=name, VersioningConfiguration=properties["VersioningConfiguration"]
            )
        if "CorsConfiguration" in properties:
            s3.put_bucket_cors(
                Bucket=name,
                CORSConfiguration={
                    "CORSRules": [
                        _renamed(rule, {"MaxAge": "MaxAgeSeconds", "Id": "ID"})
                        for rule in properties["CorsConfiguration"]["CorsRules"]
                    ]
                },
            )
    for properties in _of_type(resolver, "AWS::S3::BucketPolicy").values():
        s3.put_bucket_policy(
            Bucket=properties["Bucket"], Policy=json.dumps(_evaluable(properties["PolicyDocument"]))
        )


def _evaluable(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy without its conditional statements: moto evaluates a condition with none
    of the request's context (transport, object tags), so each of these denies would deny
    every request. The API gives links to clean documents only; docs/local-cloud.md lists
    the gap."""
    kept = [statement for statement in policy["Statement"] if "Condition" not in statement]
    return {**policy, "Statement": kept}


_USER_POOL_SETTINGS = (
    "Policies",
    "UsernameAttributes",
    "AliasAttributes",
    "AutoVerifiedAttributes",
    "AdminCreateUserConfig",
    "Schema",
    "UserPoolAddOns",
    "MfaConfiguration",
    "AccountRecoverySetting",
    "UsernameConfiguration",
    "VerificationMessageTemplate",
    "DeletionProtection",
)
_USER_POOL_CLIENT_SETTINGS = (
    "ClientName",
    "GenerateSecret",
    "ExplicitAuthFlows",
    "PreventUserExistenceErrors",
    "ReadAttributes",
    "WriteAttributes",
    "IdTokenValidity",
    "AccessTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "CallbackURLs",
    "LogoutURLs",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "SupportedIdentityProviders",
)


def create_user_pools(resolver: Resolver, cognito: "CognitoIdentityProviderClient") -> None:
    """User pools, then their app clients (which `!Ref` their pool)."""
    for logical_id, properties in _of_type(resolver, "AWS::Cognito::UserPool").items():
        settings = {key: properties[key] for key in _USER_POOL_SETTINGS if key in properties}
        pool = cognito.create_user_pool(
            PoolName=properties.get("UserPoolName", _physical_name(logical_id)), **settings
        )["UserPool"]
        pool_id = pool["Id"]
        provider = f"cognito-idp.{resolver.region}.amazonaws.com/{pool_id}"
        resolver.refs[logical_id] = pool_id
        resolver.attributes[(logical_id, "Arn")] = pool["Arn"]
        resolver.attributes[(logical_id, "ProviderName")] = provider
        resolver.attributes[(logical_id, "ProviderURL")] = f"https://{provider}"
    for logical_id, properties in _of_type(resolver, "AWS::Cognito::UserPoolClient").items():
        settings = {key: properties[key] for key in _USER_POOL_CLIENT_SETTINGS if key in properties}
        settings.setdefault("ClientName", logical_id)
        client = cognito.create_user_pool_client(UserPoolId=properties["UserPoolId"], **settings)
        resolver.refs[logical_id] = client["UserPoolClient"]["ClientId"]


def create_email_identities(resolver: Resolver, sesv2: "SESV2Client") -> None:
    """SES identities; moto treats them as verified, so sending from them works at once."""
    for logical_id, properties in _of_type(resolver, "AWS::SES::EmailIdentity").items():
        sesv2.create_email_identity(EmailIdentity=properties["EmailIdentity"])
        resolver.refs[logical_id] = properties["EmailIdentity"]


def create_queues(resolver: Resolver, aws: LocalAws) -> None:
    """Queues with their attributes; `!Ref` yields the URL, `!GetAtt .Arn` the ARN."""
    sqs = aws.session.client("sqs", endpoint_url=aws.endpoint)
    # One at a time, in the template's order: a queue's redrive policy names one before it.
    for logical_id, resource in resources_of_type(resolver.template, "AWS::SQS::Queue").items():
        properties = resolver.resolve(resource.get("Properties", {}))
        name = properties.get("QueueName", _physical_name(logical_id))
        attributes: dict[Any, str] = {
            key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in properties.items()
            if key not in {"QueueName", "Tags", "RedrivePolicy", "RedriveAllowPolicy"}
        }
        for key in ("RedrivePolicy", "RedriveAllowPolicy"):
            if key in properties:
                attributes[key] = json.dumps(properties[key])
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        resolver.refs[logical_id] = url
        resolver.attributes[(logical_id, "QueueName")] = name
        resolver.attributes[(logical_id, "QueueUrl")] = url
        resolver.attributes[(logical_id, "Arn")] = (
            f"arn:aws:sqs:{resolver.region}:{resolver.account_id}:{name}"
        )


def name_unprovisioned(resolver: Resolver) -> None:
    """Names for what moto does not host but the template refers to: functions (served by
    the local cloud itself), the APIs (served by its gateways), roles (not enforced), log
    groups, and anything else `!Ref`'d in a `!Sub` (integrations, authorizers...)."""
    prefix = f"arn:aws:lambda:{resolver.region}:{resolver.account_id}:function"
    for logical_id in resources_of_type(resolver.template, "AWS::Serverless::Function"):
        resolver.refs[logical_id] = logical_id
        resolver.attributes[(logical_id, "Arn")] = f"{prefix}:{logical_id}"
    for logical_id in resources_of_type(resolver.template, "AWS::IAM::Role"):
        resolver.refs[logical_id] = _physical_name(logical_id)
        resolver.attributes[(logical_id, "Arn")] = (
            f"arn:aws:iam::{resolver.account_id}:role/{_physical_name(logical_id)}"
        )
    for kind in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"):
        for logical_id in resources_of_type(resolver.template, kind):
            resolver.refs[logical_id] = logical_id.lower()
    # Log groups (the APIs' access logs name theirs): the local gateways log to stdout.
    for logical_id, properties in _of_type(resolver, "AWS::Logs::LogGroup").items():
        name = properties.get("LogGroupName", _physical_name(logical_id))
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = (
            f"arn:aws:logs:{resolver.region}:{resolver.account_id}:log-group:{name}"
        )
    for logical_id in resolver.template["Resources"]:
        resolver.refs.setdefault(logical_id, logical_id)


def create_schedule_groups(resolver: Resolver, aws: LocalAws) -> None:
    """Schedule groups, then any schedule the template itself declares."""
    scheduler = aws.session.client("scheduler", endpoint_url=aws.endpoint)
    for logical_id, properties in _of_type(resolver, "AWS::Scheduler::ScheduleGroup").items():
        name = properties.get("Name", _physical_name(logical_id))
        arn = scheduler.create_schedule_group(Name=name)["ScheduleGroupArn"]
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = arn
    for logical_id, properties in _of_type(resolver, "AWS::Scheduler::Schedule").items():
        name = properties.pop("Name", _physical_name(logical_id))
        arn = scheduler.create_schedule(Name=name, **properties)["ScheduleArn"]
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = arn


def create_event_buses(resolver: Resolver, events: "EventBridgeClient") -> None:
    """Custom event buses; `!Ref` yields the name, `!GetAtt .Arn` the ARN."""
    for logical_id, properties in _of_type(resolver, "AWS::Events::EventBus").items():
        arn = events.create_event_bus(Name=properties["Name"])["EventBusArn"]
        resolver.refs[logical_id] = properties["Name"]
        resolver.attributes[(logical_id, "Arn")] = arn
        resolver.attributes[(logical_id, "Name")] = properties["Name"]


def create_event_rules(resolver: Resolver, events: "EventBridgeClient") -> None:
    """The rules on those buses, with their targets (moto delivers what a PutEvents matches
    to SQS targets). Rules on the default bus are AWS's to feed, not ours to make."""
    buses = {
        name
        for (logical_id, attribute), name in resolver.attributes.items()
        if attribute == "Name"
        and resolver.template["Resources"][logical_id]["Type"] == "AWS::Events::EventBus"
    }
    for logical_id, resource in resources_of_type(resolver.template, "AWS::Events::Rule").items():
        bus = resolver.resolve(resource["Properties"].get("EventBusName"))
        if bus not in buses:
            continue
        properties = resolver.resolve(resource["Properties"])
        name = _physical_name(logical_id)
        arn = events.put_rule(
            Name=name, EventBusName=bus, EventPattern=json.dumps(properties["EventPattern"])
        )["RuleArn"]
        events.put_targets(
            Rule=name,
            EventBusName=bus,
            Targets=[
                {"Id": target["Id"], "Arn": target["Arn"]} for target in properties["Targets"]
            ],
        )
        resolver.refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = arn


def provision(resolver: Resolver, aws: LocalAws) -> None:
    """Every resource moto can hold, in the order their references need."""
    create_tables(resolver, aws.session.client("dynamodb", endpoint_url=aws.endpoint))
    create_user_pools(resolver, aws.session.client("cognito-idp", endpoint_url=aws.endpoint))
    create_email_identities(resolver, aws.session.client("sesv2", endpoint_url=aws.endpoint))
    create_queues(resolver, aws)
    events = aws.session.client("events", endpoint_url=aws.endpoint)
    create_event_buses(resolver, events)
    create_event_rules(resolver, events)
    name_unprovisioned(resolver)
    # The bucket's notification names a queue and its policy the scanner's role.
    create_buckets(resolver, aws)
    create_schedule_groups(resolver, aws)
