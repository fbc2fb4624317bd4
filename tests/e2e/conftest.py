"""The local cloud, started once for the e2e tests as `make run` starts it (a child process,
on free ports), and clients pointed at it over real sockets."""

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest

from localcloud.cloud import Endpoints
from localcloud.process import LocalCloudProcess


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A hung socket must fail its test, not the whole run.
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.timeout(120))


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalCloudProcess]:
    with LocalCloudProcess() as cloud:
        yield cloud


@pytest.fixture(scope="session")
def endpoints(local_cloud: LocalCloudProcess) -> Endpoints:
    assert local_cloud.endpoints is not None
    return local_cloud.endpoints


@pytest.fixture(scope="session")
def firm_id(endpoints: Endpoints) -> str:
    """The demo firm's id."""
    assert endpoints.demo_firm_id is not None
    return endpoints.demo_firm_id


@pytest.fixture(scope="session")
def aws_client(endpoints: Endpoints) -> Callable[..., Any]:
    """A plain boto3 client of any service, pointed at the local cloud's moto."""

    def client(service: str, **settings: Any) -> Any:
        settings = {
            "endpoint_url": endpoints.moto,
            "region_name": endpoints.region,
            "aws_access_key_id": "e2e",
            "aws_secret_access_key": "e2e",
            **settings,
        }
        make: Callable[..., Any] = boto3.client  # any service, so no typed overload
        return make(service, **settings)

    return client


@pytest.fixture
def http(endpoints: Endpoints) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=endpoints.http_api, timeout=30) as client:
        yield client


@pytest.fixture
def console() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def login_of(endpoints: Endpoints, who: str) -> dict[str, str | None]:
    return next(login for login in endpoints.logins if login["who"] == who)


@pytest.fixture(scope="session")
def id_token(endpoints: Endpoints, aws_client: Callable[..., Any]) -> Callable[[str], str]:
    """An ID token for a demo login, from the local tooling client (USER_PASSWORD_AUTH)."""
    cognito = aws_client("cognito-idp")

    def token(who: str) -> str:
        login = login_of(endpoints, who)
        client_id = endpoints.resources["LocalToolingClient"]
        answer = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": login["username"], "PASSWORD": login["password"]},
        )
        return str(answer["AuthenticationResult"]["IdToken"])

    return token


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed e2e test shows the local cloud's log (the functions' tracebacks are there)."""
    report = yield
    cloud = getattr(item, "funcargs", {}).get("local_cloud")
    if report.failed and cloud is not None:
        report.sections.append(("local cloud log (tail)", cloud.log_file.read_text()[-8000:]))
    return report
