"""Creates the template's resources in moto, so the local copy matches what AWS gets."""

from typing import TYPE_CHECKING, Any

from localcloud.template import Resolver, resources_of_type

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def create_tables(resolver: Resolver, dynamodb: "DynamoDBClient") -> None:
    """Tables with their keys, indexes, stream and TTL; `!Ref` then yields the table name."""
    for logical_id, resource in resources_of_type(
        resolver.template, "AWS::DynamoDB::Table"
    ).items():
        properties: dict[str, Any] = resolver.resolve(resource["Properties"])
        name = properties.get("TableName", f"firmchat-local-{logical_id}")
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
