"""Managing the firm's people over the HTTP API: invitations through the user pool and
email, activation, and input that may only name the fields the API offers."""

import re
from typing import Any

import boto3
import pytest
from moto.ses.models import ses_backends

from firmchat.adapters.identity import login_username
from firmchat.domain.principal import Role
from testkit.people import Seeder
from tests.support.api import HttpApi, SignIn

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
ADMIN = SignIn(FIRM, "sub-admin")
CLIENT = SignIn(FIRM, "sub-client")
STRONG_PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.firm_user(FIRM, "admin", ADMIN.subject, Role.ADMIN)
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", CLIENT.subject)
    return HttpApi(lambda_function("HttpApiFunction"))


def _sent_mail() -> list[Any]:
    return ses_backends["123456789012"]["us-east-1"].sent_messages


def _token_of(message) -> str:
    match = re.search(r"/invitation#(\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _login_attributes(pool_id: str, email: str, firm_id: str = FIRM) -> dict[str, str]:
    user = boto3.client("cognito-idp").admin_get_user(
        UserPoolId=pool_id, Username=login_username(firm_id, email)
    )
    return {attribute["Name"]: attribute["Value"] for attribute in user["UserAttributes"]}


def _invited_contact(api) -> tuple[str, str]:
    contact = api.call(
        "POST",
        "/accounts/acct-1/contacts",
        OWNER,
        {"name": "Dana Client", "email": "Dana@Client.example", "portal_access": True},
    )
    assert contact.status == 201
    contact_id = contact.body["contact_id"]
    invited = api.call("POST", f"/accounts/acct-1/contacts/{contact_id}/invitation", OWNER)
    assert invited.status == 201
    assert invited.body["login_state"] == "invited"
    return contact_id, _token_of(_sent_mail()[-1])


def test_inviting_a_contact_creates_their_login_and_emails_a_link(api, core_settings):
    _invited_contact(api)

    (message,) = _sent_mail()
    assert message.destinations["ToAddresses"] == ["dana@client.example"]
    assert message.source == core_settings.ref("SenderAddress")
    assert "Firm firm-1 invites you" in message.subject
    attributes = _login_attributes(core_settings.ref("UserPool"), "dana@client.example")
    assert attributes["custom:firm_id"] == FIRM


def test_an_accepted_invitation_activates_the_login_and_the_contact_can_act(api, core_settings):
    contact_id, token = _invited_contact(api)
    subject = _login_attributes(core_settings.ref("UserPool"), "dana@client.example")["sub"]
    assert api.call("GET", "/me", SignIn(FIRM, subject)).status == 401

    accepted = api.call(
        "POST", "/invitations/accept", body={"token": token, "password": STRONG_PASSWORD}
    )

    assert accepted.status == 204
    me = api.call("GET", "/me", SignIn(FIRM, subject))
    assert me.status == 200
    assert (me.body["kind"], me.body["user_id"], me.body["account_id"]) == (
        "client_user",
        contact_id,
        "acct-1",
    )
    contacts = api.call("GET", "/accounts/acct-1/contacts", OWNER).body
    assert {c["contact_id"]: c["login_state"] for c in contacts}[contact_id] == "activated"


def test_an_invitation_works_once(api):
    _, token = _invited_contact(api)
    acceptance = {"token": token, "password": STRONG_PASSWORD}
    api.call("POST", "/invitations/accept", body=acceptance)

    again = api.call("POST", "/invitations/accept", body=acceptance)

    assert again.status == 404
    assert "unknown, used or expired" in again.body["detail"]


def test_a_weak_password_is_refused_and_the_link_stays_usable(api):
    _, token = _invited_contact(api)

    weak = api.call("POST", "/invitations/accept", body={"token": token, "password": "short"})
    strong = api.call(
        "POST", "/invitations/accept", body={"token": token, "password": STRONG_PASSWORD}
    )

    assert weak.status == 422
    assert "password" in weak.body["detail"]
    assert strong.status == 204


@pytest.mark.parametrize("token", ["", "no-dot", "firm-1.forged", "firm-2.forged"])
def test_forged_invitation_tokens_are_refused(api, token):
    answer = api.call("POST", "/invitations/accept", body={"token": token, "password": "x"})

    assert answer.status in (404, 422)


def test_a_contact_without_portal_access_cannot_be_invited(api):
    contact = api.call(
        "POST", "/accounts/acct-1/contacts", OWNER, {"name": "No Portal", "email": "np@c.example"}
    ).body

    answer = api.call(
        "POST", f"/accounts/acct-1/contacts/{contact['contact_id']}/invitation", OWNER
    )

    assert answer.status == 409
    assert "portal access" in answer.body["detail"]
    assert _sent_mail() == []


def test_an_email_signing_in_to_another_firm_gets_a_login_of_its_own_here(api, core_settings):
    pool = boto3.client("cognito-idp")
    pool.admin_create_user(
        UserPoolId=core_settings.ref("UserPool"),
        Username=login_username("firm-2", "taken@elsewhere.example"),
        UserAttributes=[
            {"Name": "email", "Value": "taken@elsewhere.example"},
            {"Name": "custom:firm_id", "Value": "firm-2"},
        ],
        MessageAction="SUPPRESS",
    )
    contact = api.call(
        "POST",
        "/accounts/acct-1/contacts",
        OWNER,
        {"name": "Taken", "email": "taken@elsewhere.example", "portal_access": True},
    ).body

    answer = api.call(
        "POST", f"/accounts/acct-1/contacts/{contact['contact_id']}/invitation", OWNER
    )

    pool_id = core_settings.ref("UserPool")
    here = _login_attributes(pool_id, "taken@elsewhere.example")
    there = _login_attributes(pool_id, "taken@elsewhere.example", "firm-2")
    assert answer.status == 201
    assert here["custom:firm_id"] == FIRM
    assert here["sub"] != there["sub"]


def test_inviting_a_firm_user_then_accepting_makes_them_a_principal(api, core_settings):
    invited = api.call(
        "POST",
        "/users",
        ADMIN,
        {"email": "mia@firm.example", "name": "Mia Member", "rights": ["manage_documents"]},
    )
    api.call(
        "POST",
        "/invitations/accept",
        body={"token": _token_of(_sent_mail()[-1]), "password": STRONG_PASSWORD},
    )
    subject = _login_attributes(core_settings.ref("UserPool"), "mia@firm.example")["sub"]

    me = api.call("GET", "/me", SignIn(FIRM, subject))

    assert invited.status == 201
    assert (invited.body["role"], invited.body["login_state"]) == ("member", "invited")
    assert (me.body["role"], me.body["rights"]) == ("member", ["manage_documents"])


# ---------------------------------------------------------------- only the offered fields


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/accounts/acct-1/contacts/contact-1", {"role": "owner"}),
        ("PATCH", "/accounts/acct-1/contacts/contact-1", {"firm_id": "firm-2"}),
        ("PATCH", "/accounts/acct-1/contacts/contact-1", {"login_state": "activated"}),
        ("PATCH", "/users/admin", {"firm_id": "firm-2"}),
        ("PATCH", "/users/admin", {"subject": "sub-client"}),
        ("POST", "/users", {"email": "x@y.example", "name": "X", "account_id": "acct-1"}),
        ("PATCH", "/settings", {"firm_id": "firm-2"}),
        ("POST", "/accounts", {"name": "A", "account_id": "chosen"}),
    ],
)
def test_fields_the_api_does_not_offer_are_refused(api, method, path, body):
    answer = api.call(method, path, OWNER, body)

    assert answer.status == 422
    assert answer.body["code"] == "invalid_input"
    assert "Extra inputs are not permitted" in answer.body["detail"]


def test_a_client_cannot_make_itself_an_owner_by_adding_a_field(api):
    for body in ({"role": "owner"}, {"portal_access": True, "role": "owner"}):
        answer = api.call("PATCH", "/accounts/acct-1/contacts/contact-1", CLIENT, body)
        assert answer.status == 422
    assert (
        api.call("PATCH", "/accounts/acct-1/contacts/contact-1", CLIENT, {"notify": False}).status
        == 403
    )
    assert api.call("GET", "/me", CLIENT).body["role"] is None


@pytest.mark.parametrize(
    ("body", "message_part"),
    [
        ({"email": "not-an-email", "name": "X"}, "email"),
        ({"email": "a@b.example", "name": ""}, "name"),
        ({"email": "a@b.example", "name": "X", "role": "superuser"}, "role"),
        ({"email": "a@b.example", "name": "X", "rights": ["everything"]}, "rights"),
        ({"email": ">@\u00c0.0", "name": "0"}, "email"),  # found by schemathesis: was a 500
    ],
)
def test_bad_values_get_a_4xx_that_names_the_field(api, body, message_part):
    answer = api.call("POST", "/users", OWNER, body)

    assert answer.status == 422
    assert message_part in answer.body["detail"]


def test_only_an_owner_may_make_an_owner(api):
    by_admin = api.call(
        "POST", "/users", ADMIN, {"email": "o@firm.example", "name": "O", "role": "owner"}
    )
    promoted_by_admin = api.call("PATCH", "/users/admin", ADMIN, {"role": "owner"})

    assert by_admin.status == 403
    assert promoted_by_admin.status in (403, 409)
    assert api.call("GET", "/users/admin", OWNER).body["role"] == "admin"


def test_an_owner_cannot_remove_their_own_access_or_role(api):
    answer = api.call("PATCH", "/users/owner", OWNER, {"active": False})

    assert answer.status == 409
    assert api.call("GET", "/me", OWNER).status == 200


def test_an_invited_contacts_email_cannot_change(api):
    contact_id, _ = _invited_contact(api)

    answer = api.call(
        "PATCH", f"/accounts/acct-1/contacts/{contact_id}", OWNER, {"email": "new@c.example"}
    )

    assert answer.status == 409
    assert "sign-in" in answer.body["detail"]


def test_settings_change_one_field_and_keep_the_other(api):
    changed = api.call("PATCH", "/settings", OWNER, {"clients_can_start_threads": False})

    assert changed.status == 200
    assert changed.body == {
        "clients_can_start_threads": False,
        "show_content_in_client_emails": False,
        "require_mfa_for_firm_users": False,
        "inbox_for_account_members": True,
        "client_email_group_minutes": 5,
        "land_email_replies": False,
    }
    assert api.call("GET", "/me", CLIENT).body["settings"]["clients_can_start_threads"] is False


def test_the_grouping_window_is_between_0_and_60_minutes(api):
    for bad in (-1, 61, "five"):
        answer = api.call("PATCH", "/settings", OWNER, {"client_email_group_minutes": bad})
        assert answer.status == 422
    answer = api.call("PATCH", "/settings", OWNER, {"client_email_group_minutes": 0})
    assert (answer.status, answer.body["client_email_group_minutes"]) == (200, 0)


def test_a_member_sees_the_accounts_assigned_to_them_only(api):
    Seeder().account(FIRM, "acct-2")
    Seeder().firm_user(FIRM, "member", "sub-member", Role.MEMBER)
    member = SignIn(FIRM, "sub-member")
    assert api.call("GET", "/accounts", member).body["accounts"] == []

    assigned = api.call("PUT", "/users/member/assignments/acct-2", OWNER)

    assert assigned.status == 204
    listed = api.call("GET", "/accounts", member).body["accounts"]
    assert [account["account_id"] for account in listed] == ["acct-2"]
    assert api.call("GET", "/accounts/acct-1", member).status == 404


def test_assigning_to_a_missing_account_is_a_404_and_writes_nothing(api):
    answer = api.call("PUT", "/users/admin/assignments/acct-missing", OWNER)

    assert answer.status == 404
    assert api.call("GET", "/users/admin", OWNER).body["assigned_account_ids"] == []
