"""MFA required for firm users (a firm setting): a firm user records the authenticator app
they verified with the user pool, the pool then challenges every sign-in of theirs, and
while the firm requires it a firm user without one may only enrol. Clients never must."""

import re
from typing import Any

import boto3
import pytest
from moto.ses.models import ses_backends

from firmchat.adapters.identity import login_username
from firmchat.domain.caller import Caller
from firmchat.domain.principal import FirmSettings, Role
from firmchat.root import Root
from localcloud.template import Resolver
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
CLIENT = SignIn(FIRM, "sub-client")
EMAIL = "mia@firm.example"
PASSWORD = "Correct-Horse-Battery-9"
REQUIRE = {"require_mfa_for_firm_users": True}


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    return HttpApi(lambda_function("HttpApiFunction"))


def _sign_in(aws: Resolver) -> dict[str, Any]:
    return dict(
        boto3.client("cognito-idp").initiate_auth(
            ClientId=aws.ref("LocalToolingClient"),
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": login_username(FIRM, EMAIL), "PASSWORD": PASSWORD},
        )
    )


def _admin(api, aws: Resolver) -> tuple[SignIn, str]:
    """An admin invited through the API with a real login; their sign-in and access token."""
    api.call("POST", "/users", OWNER, {"email": EMAIL, "name": "Mia", "role": Role.ADMIN.value})
    mail = ses_backends["123456789012"]["us-east-1"].sent_messages[-1].body
    match = re.search(r"/invitation#(\S+)", mail)
    assert match, mail
    accepted = api.call(
        "POST", "/invitations/accept", body={"token": match[1], "password": PASSWORD}
    )
    assert accepted.status == 204, accepted.body
    user = boto3.client("cognito-idp").admin_get_user(
        UserPoolId=aws.ref("UserPool"), Username=login_username(FIRM, EMAIL)
    )
    subject = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    return SignIn(FIRM, subject), str(_sign_in(aws)["AuthenticationResult"]["AccessToken"])


def _verify_app(access_token: str) -> None:
    """What the portal does with the person's own access token: associate an authenticator
    app and verify a code from it."""
    pool = boto3.client("cognito-idp")
    pool.associate_software_token(AccessToken=access_token)
    pool.verify_software_token(AccessToken=access_token, UserCode="123456")


def _admin_with_mfa(api, aws: Resolver) -> SignIn:
    admin, access_token = _admin(api, aws)
    _verify_app(access_token)
    assert api.call("POST", "/me/mfa", admin).status == 204
    return admin


def test_recording_mfa_needs_a_verified_app_then_every_sign_in_asks_for_a_code(api, core_settings):
    admin, access_token = _admin(api, core_settings)

    unverified = api.call("POST", "/me/mfa", admin)
    _verify_app(access_token)
    recorded = api.call("POST", "/me/mfa", admin)

    assert (unverified.status, unverified.body["code"]) == (409, "conflict")
    assert recorded.status == 204
    assert api.call("GET", "/me", admin).body["mfa"] is True
    pool_user = boto3.client("cognito-idp").admin_get_user(
        UserPoolId=core_settings.ref("UserPool"), Username=login_username(FIRM, EMAIL)
    )
    assert pool_user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool_user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert _sign_in(core_settings)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_requiring_mfa_is_refused_to_a_caller_without_their_own(api):
    refused = api.call("PATCH", "/settings", OWNER, REQUIRE)

    assert refused.status == 409
    assert "POST /me/mfa" in refused.body["detail"]
    assert api.call("GET", "/settings", OWNER).body["require_mfa_for_firm_users"] is False


def test_while_required_a_firm_user_without_mfa_may_only_enrol(api, core_settings):
    admin = _admin_with_mfa(api, core_settings)

    switched = api.call("PATCH", "/settings", admin, REQUIRE)

    assert switched.status == 200
    assert switched.body["require_mfa_for_firm_users"] is True
    for method, path in [
        ("GET", "/settings"),
        ("GET", "/accounts"),
        ("GET", "/users"),
        ("POST", "/ws-tickets"),
    ]:
        answer = api.call(method, path, OWNER)
        assert (answer.status, answer.body["code"]) == (403, "mfa_required"), path
    me = api.call("GET", "/me", OWNER).body
    assert (me["mfa"], me["must_enrol_mfa"]) == (False, True)
    assert api.call("GET", "/accounts", admin).status == 200
    assert api.call("POST", "/ws-tickets", admin).status == 201


def test_clients_are_never_required_to_and_record_nothing(api, core_settings):
    admin = _admin_with_mfa(api, core_settings)
    api.call("PATCH", "/settings", admin, REQUIRE)

    me = api.call("GET", "/me", CLIENT).body
    recording = api.call("POST", "/me/mfa", CLIENT)

    assert me["must_enrol_mfa"] is False
    assert api.call("GET", "/accounts/acct-1/threads", CLIENT).status == 200
    assert api.call("POST", "/ws-tickets", CLIENT).status == 201
    assert (recording.status, recording.body["code"]) == (403, "forbidden")


def test_a_ticket_issued_before_the_requirement_opens_no_socket(
    lambda_function, event, core_settings
):
    # The sample events' firm and owner, the firm requiring MFA the owner has not recorded.
    Seeder().firm(
        "firm-demo",
        "8f1c2f6e-0000-4000-8000-000000000001",
        settings=FirmSettings(require_mfa_for_firm_users=True),
    )
    ticket = Root().tickets.issue(
        Caller(firm_id="firm-demo", subject="8f1c2f6e-0000-4000-8000-000000000001")
    )
    request: dict[str, Any] = event("ws_authorizer/connect_with_ticket.json")
    request["queryStringParameters"] = {"ticket": ticket}

    decision = lambda_function("WsAuthorizerFunction").invoke(request)

    assert decision["policyDocument"]["Statement"][0]["Effect"] == "Deny"
