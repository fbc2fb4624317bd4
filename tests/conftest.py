"""Fixtures every test layer shares: a fake AWS account, moto with the template's resources,
the template's functions loaded as Lambda would load them, and the sample events."""

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from firmchat.domain.people import FirmUser
from localcloud.lambdas import LocalFunction, function_specs
from localcloud.provision import (
    create_email_identities,
    create_event_buses,
    create_tables,
    create_user_pools,
)
from localcloud.template import REPO_ROOT, Resolver, load_template
from testkit.aws_calls import Calls, recorder
from testkit.people import Seeder
from testkit.schedules import create_schedule_targets

EVENTS_DIR = REPO_ROOT / "events"
DOCUMENTS_BUCKET = "firmchat-documents-test"
INBOUND_MAIL_BUCKET = "firmchat-inbound-mail-test"

# Set before any boto3 client exists: no test may reach a real AWS account.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
        # The same user pool id in every test's moto world, as the functions are loaded once
        # per process (a warm container) and read the id at their cold start.
        "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
    }
)
# And before any client exists: the recorder hooks into every client made after it.
recorder.install()


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture
def aws(template: dict[str, Any]) -> Iterator[Resolver]:
    """moto in this process, holding the template's tables, user pool and sender identity;
    yields the resolver of names."""
    with mock_aws():
        resolver = Resolver(
            template,
            refs={
                "WebSocketApi": "localws",
                "HttpApi": "localhttp",
                "DocumentsBucket": DOCUMENTS_BUCKET,
                "InboundMailBucket": INBOUND_MAIL_BUCKET,
            },
        )
        create_tables(resolver, boto3.client("dynamodb"))
        boto3.client("s3").create_bucket(Bucket=DOCUMENTS_BUCKET)
        boto3.client("s3").create_bucket(Bucket=INBOUND_MAIL_BUCKET)
        create_user_pools(resolver, boto3.client("cognito-idp"))
        create_email_identities(resolver, boto3.client("sesv2"))
        create_event_buses(resolver, boto3.client("events"))
        create_schedule_targets(resolver)
        yield resolver


@pytest.fixture(autouse=True)
def aws_calls() -> Iterator[Calls]:
    """Every AWS request of the test. Whatever the test, each DynamoDB request that reads or
    writes items must name a partition of a firm (tenancy: the firm id is in every key)."""
    with recorder.recording() as calls:
        yield calls
    outside = calls.outside_firm()
    assert not outside, f"DynamoDB requests outside any firm's partition: {outside}"


@pytest.fixture
def lambda_function(aws: Resolver) -> Callable[[str], LocalFunction]:
    """Loads one of the template's functions (by logical id) into moto's world."""
    specs = function_specs(aws)
    return lambda logical_id: LocalFunction(specs[logical_id], aws)


@pytest.fixture
def core_settings(aws: Resolver, monkeypatch: pytest.MonkeyPatch) -> Resolver:
    """The template's Globals environment, for tests that call the core directly."""
    variables = aws.template["Globals"]["Function"]["Environment"]["Variables"]
    for name, value in variables.items():
        monkeypatch.setenv(name, str(aws.resolve(value)))
    return aws


def load_event(relative: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS_DIR / relative).read_text())
    return event


@pytest.fixture
def event() -> Callable[[str], dict[str, Any]]:
    return load_event


def event_files() -> list[Path]:
    return sorted(EVENTS_DIR.rglob("*.json"))


# The firm and owner the sample events in events/ sign in as.
DEMO_FIRM = "firm-demo"
DEMO_OWNER_SUBJECT = "8f1c2f6e-0000-4000-8000-000000000001"


@pytest.fixture
def demo_owner(core_settings: Resolver) -> FirmUser:
    """firm-demo with its active owner, the principal the sample events sign in as."""
    return Seeder().firm(DEMO_FIRM, DEMO_OWNER_SUBJECT)
