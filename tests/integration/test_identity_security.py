"""Identity attacks (docs/security.md): a removed person keeping a session, an invitation
adopting someone else's pool user, an old link resetting a password, one firm probing or
locking out another's people, and the password reset flow."""

import re
from typing import Any

import boto3
import pytest
from moto.ses.models import ses_backends

from firmchat.adapters.identity import login_username
from firmchat.adapters.items.people import invitation_item
from firmchat.domain.people import Invitation
from firmchat.domain.principal import PrincipalKind
from firmchat.domain.tokens import new_token
from firmchat.root import Root
from localcloud.template import Resolver
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
PASSWORD = "Correct-Horse-Battery-9"
OTHER_PASSWORD = "Another-Horse-Battery-7"
EMAIL = "dana@client.example"


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.firm("firm-2", "sub-owner-2")
    seeder.account(FIRM, "acct-1")
    return HttpApi(lambda_function("HttpApiFunction"))


def _mail() -> list[Any]:
    return ses_backends["123456789012"]["us-east-1"].sent_messages


def _link(path: str) -> str:
    match = re.search(rf"/{path}#(\S+)", _mail()[-1].body)
    assert match, _mail()[-1].body
    return match.group(1)


def _contact(api, email: str = EMAIL) -> str:
    body = {"name": "Dana", "email": email, "portal_access": True}
    answer = api.call("POST", "/accounts/acct-1/contacts", OWNER, body)
    return str(answer.body["contact_id"])


def _invite(api, contact_id: str) -> str:
    answer = api.call("POST", f"/accounts/acct-1/contacts/{contact_id}/invitation", OWNER)
    assert answer.status == 201, answer.body
    return _link("invitation")


def _accept(api, token: str, password: str = PASSWORD) -> int:
    answer = api.call("POST", "/invitations/accept", body={"token": token, "password": password})
    return int(answer.status)


def _sign_in(aws: Resolver, password: str, firm_id: str = FIRM) -> dict[str, str]:
    answer = boto3.client("cognito-idp").initiate_auth(
        ClientId=aws.ref("LocalToolingClient"),
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": login_username(firm_id, EMAIL), "PASSWORD": password},
    )
    return {key: str(value) for key, value in answer["AuthenticationResult"].items()}


def _pool_user(aws: Resolver, firm_id: str = FIRM) -> dict[str, Any] | None:
    pool = boto3.client("cognito-idp")
    try:
        return dict(
            pool.admin_get_user(
                UserPoolId=aws.ref("UserPool"), Username=login_username(firm_id, EMAIL)
            )
        )
    except pool.exceptions.UserNotFoundException:
        return None


def _sub(aws: Resolver, firm_id: str = FIRM) -> str:
    user = _pool_user(aws, firm_id)
    assert user is not None
    return str(next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub"))


def test_a_removed_contact_is_signed_out_everywhere_and_loses_their_login(api, core_settings):
    contact_id = _contact(api)
    _accept(api, _invite(api, contact_id))
    session = _sign_in(core_settings, PASSWORD)

    removed = api.call("DELETE", f"/accounts/acct-1/contacts/{contact_id}", OWNER)

    pool = boto3.client("cognito-idp")
    assert removed.status == 204
    assert _pool_user(core_settings) is None
    with pytest.raises(pool.exceptions.NotAuthorizedException):
        pool.get_user(AccessToken=session["AccessToken"])


def test_a_removed_firm_user_is_signed_out_and_their_login_disabled(api, core_settings):
    invited = api.call("POST", "/users", OWNER, {"email": EMAIL, "name": "Mia"}).body
    _accept(api, _link("invitation"))
    session = _sign_in(core_settings, PASSWORD)

    api.call("PATCH", f"/users/{invited['user_id']}", OWNER, {"active": False})

    pool = boto3.client("cognito-idp")
    user = _pool_user(core_settings)
    assert user is not None
    assert user["Enabled"] is False
    with pytest.raises(pool.exceptions.NotAuthorizedException):
        pool.get_user(AccessToken=session["AccessToken"])


def test_removal_frees_the_address_for_a_new_invitation(api, core_settings):
    first = _contact(api)
    _accept(api, _invite(api, first))
    old_subject = _sub(core_settings)
    api.call("DELETE", f"/accounts/acct-1/contacts/{first}", OWNER)

    token = _invite(api, _contact(api))

    assert _accept(api, token) == 204
    assert _sub(core_settings) != old_subject


def test_an_invitation_never_adopts_a_pool_user_it_did_not_create(api, core_settings):
    """A pool user named for this firm and address, claimed by no record (as one left behind
    by someone who moved their sign-in there), is replaced, not taken over."""
    pool = boto3.client("cognito-idp")
    planted = pool.admin_create_user(
        UserPoolId=core_settings.ref("UserPool"),
        Username=login_username(FIRM, EMAIL),
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "custom:firm_id", "Value": FIRM},
        ],
        MessageAction="SUPPRESS",
    )["User"]
    planted_sub = next(a["Value"] for a in planted["Attributes"] if a["Name"] == "sub")

    _invite(api, _contact(api))

    assert _sub(core_settings) != planted_sub


def test_an_address_another_record_of_the_firm_signs_in_with_is_refused(api):
    _invite(api, _contact(api))

    answer = api.call("POST", "/users", OWNER, {"email": EMAIL, "name": "Twin"})

    assert answer.status == 409
    assert "another firm" not in answer.body["detail"]


def test_the_same_email_signs_in_to_two_firms_with_two_logins(api, core_settings):
    token = _invite(api, _contact(api))
    _accept(api, token)
    second = SignIn("firm-2", "sub-owner-2")
    api.call("POST", "/users", second, {"email": EMAIL, "name": "Dana at firm 2"})
    _accept(api, _link("invitation"), OTHER_PASSWORD)

    assert _sign_in(core_settings, PASSWORD)["IdToken"]
    assert _sign_in(core_settings, OTHER_PASSWORD, "firm-2")["IdToken"]
    assert _sub(core_settings) != _sub(core_settings, "firm-2")


def test_inviting_again_revokes_the_earlier_link(api):
    contact_id = _contact(api)
    first = _invite(api, contact_id)
    second = _invite(api, contact_id)

    assert _accept(api, first) == 404
    assert _accept(api, second) == 204


def test_a_link_left_for_an_activated_login_sets_no_password(api, core_settings):
    """Even a link that outlived its revocation cannot touch a login already in use: the
    write that uses it requires the login to be invited, and comes before the password."""
    contact_id = _contact(api)
    token = _invite(api, contact_id)
    _accept(api, token)
    contact = Root().people_store.contact(FIRM, "acct-1", contact_id)
    assert contact is not None
    assert contact.subject is not None
    leftover_token, leftover = new_token(FIRM)
    Root().table.put_item(
        Item=invitation_item(
            Invitation(
                firm_id=FIRM,
                digest=leftover,
                subject=contact.subject,
                email=EMAIL,
                principal_kind=PrincipalKind.CLIENT_USER,
                user_id=contact_id,
                account_id="acct-1",
                expires_at=2**40,
            )
        )
    )
    answer = _accept(api, leftover_token, OTHER_PASSWORD)

    assert answer == 404
    assert _sign_in(core_settings, PASSWORD)["IdToken"]


def test_a_password_reset_mails_its_own_link_and_sets_the_new_password(api, core_settings):
    _accept(api, _invite(api, _contact(api)))
    session = _sign_in(core_settings, PASSWORD)

    asked = api.call("POST", "/password-reset", body={"firm_id": FIRM, "email": EMAIL})
    token = _link("password-reset")
    reset = api.call(
        "POST", "/password-reset/confirm", body={"token": token, "password": OTHER_PASSWORD}
    )
    again = api.call("POST", "/password-reset/confirm", body={"token": token, "password": PASSWORD})

    pool = boto3.client("cognito-idp")
    assert (asked.status, reset.status, again.status) == (202, 204, 404)
    assert "Reset your firmchat password" in _mail()[-1].subject
    assert _sign_in(core_settings, OTHER_PASSWORD)["IdToken"]
    with pytest.raises(pool.exceptions.NotAuthorizedException):
        pool.get_user(AccessToken=session["AccessToken"])


@pytest.mark.parametrize(
    "body",
    [
        {"firm_id": FIRM, "email": "nobody@nowhere.example"},
        {"firm_id": "firm-2", "email": EMAIL},
        {"firm_id": "no-such-firm", "email": EMAIL},
    ],
)
def test_a_reset_request_answers_the_same_whoever_it_names(api, body):
    _accept(api, _invite(api, _contact(api)))
    sent = len(_mail())

    answer = api.call("POST", "/password-reset", body=body)

    assert answer.status == 202
    assert len(_mail()) == sent


def test_an_invitation_link_cannot_reset_a_password(api):
    """The invitation's link activates once; a reset needs a reset link."""
    token = _invite(api, _contact(api))
    _accept(api, token)

    answer = api.call(
        "POST", "/password-reset/confirm", body={"token": token, "password": OTHER_PASSWORD}
    )

    assert answer.status == 404
