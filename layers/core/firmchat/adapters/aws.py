"""boto3 clients, built once per container with explicit timeouts and standard retries."""

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBServiceResource
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_scheduler import EventBridgeSchedulerClient
    from mypy_boto3_sesv2 import SESV2Client

_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 4})


@cache
def dynamodb() -> "DynamoDBServiceResource":
    return boto3.resource("dynamodb", config=_CONFIG)


@cache
def connections_api(endpoint_url: str) -> "ApiGatewayManagementApiClient":
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint_url, config=_CONFIG)


@cache
def cognito() -> "CognitoIdentityProviderClient":
    return boto3.client("cognito-idp", config=_CONFIG)


@cache
def sesv2() -> "SESV2Client":
    return boto3.client("sesv2", config=_CONFIG)


@cache
def s3() -> "S3Client":
    # Signature version 4 for every presigned form and link (the bucket policy requires it).
    return boto3.client("s3", config=_CONFIG.merge(Config(signature_version="s3v4")))


@cache
def scheduler() -> "EventBridgeSchedulerClient":
    return boto3.client("scheduler", config=_CONFIG)


@cache
def events() -> "EventBridgeClient":
    return boto3.client("events", config=_CONFIG)
