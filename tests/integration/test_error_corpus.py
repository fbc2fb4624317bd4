"""One body for every 4xx: a fixed corpus of mistakes, each kind with its one status and
code, every answer an RFC 9457 problem (docs/api-errors.md)."""

import pytest

from firmchat.domain.principal import Role
from testkit.people import Seeder
from tests.support.api import Answer, HttpApi, SignIn

FIRM = "firm-1"
OWNER = SignIn(FIRM, "sub-owner")
MEMBER = SignIn(FIRM, "sub-member")
NOBODY = SignIn(FIRM, "sub-nobody")
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code"}
THREAD = {"account_id": "acct-1", "subject": "Receipts"}
MESSAGE = {"client_id": "corpus-message-1", "body": "<p>Hi</p>"}

# (what is sent, status, code, the field named: None when none is at fault)
RAW = [
    ("{", 400, "malformed_request", None),
    ('{"account_id": ', 400, "malformed_request", None),
    ("[1, 2]", 400, "malformed_request", None),
    ('"a string"', 400, "malformed_request", None),
    ("", 422, "invalid_input", "body"),
]
BODIES = [
    ({**THREAD, "message": MESSAGE, "subject": ""}, "subject"),
    ({**THREAD, "message": MESSAGE, "subject": "   "}, "subject"),
    ({**THREAD, "message": {**MESSAGE, "body": ""}}, "message.body"),
    ({**THREAD, "message": {**MESSAGE, "body": "<p> </p>"}}, "message.body"),
    ({**THREAD, "message": {**MESSAGE, "body": "<script>x</script>"}}, "message.body"),
    ({**THREAD, "message": {"client_id": "corpus-message-2"}}, "message.body"),
    ({**THREAD, "message": {**MESSAGE, "client_id": "short"}}, "message.client_id"),
    ({**THREAD, "message": {**MESSAGE, "body": 7}}, "message.body"),
    ({**THREAD, "message": MESSAGE, "author": "owner"}, "author"),
    ({"subject": "Receipts", "message": MESSAGE}, "account_id"),
    ({**THREAD, "message": {**MESSAGE, "mentions": ["nobody-here"]}}, "message.mentions"),
]
QUERIES = [
    ("/threads?size=10", "size"),
    ("/threads?size=abc", "size"),
    ("/threads?size=-1", "size"),
    ("/threads?cursor=garbage", "cursor"),
    ("/threads?status=deleted", "status"),
    ("/chat-accounts?filter=some", "filter"),
    ("/threads/bad!id", "thread_id"),
]
REFUSALS = [
    ("GET", "/threads", NOBODY, 401, "not_authenticated"),
    ("GET", "/threads/no-such-thread", OWNER, 404, "not_found"),
    ("GET", "/no-such-route", OWNER, 404, "not_found"),
    ("GET", "/users", MEMBER, 403, "forbidden"),
]


@pytest.fixture
def api(core_settings, lambda_function):
    seeder = Seeder()
    seeder.firm(FIRM, OWNER.subject)
    seeder.account(FIRM, "acct-1")
    seeder.client_user(FIRM, "acct-1", "contact-1", "sub-client")
    seeder.firm_user(FIRM, "member", MEMBER.subject, Role.MEMBER)
    return HttpApi(lambda_function("HttpApiFunction"))


def _is_one_problem(answer: Answer, status: int, code: str, field: str | None) -> None:
    assert answer.status == status, answer.body
    assert answer.content_type == "application/problem+json"
    assert PROBLEM_MEMBERS <= set(answer.body) <= PROBLEM_MEMBERS | {"errors"}
    assert (answer.body["status"], answer.body["code"]) == (status, code)
    assert answer.body["type"].endswith(f":{code}")
    assert answer.body["detail"]
    assert answer.body["title"]
    if status == 422:
        assert field in [problem["field"] for problem in answer.body["errors"]], answer.body
        assert all(problem["message"] for problem in answer.body["errors"])
    else:
        assert "errors" not in answer.body


@pytest.mark.parametrize(("raw", "status", "code", "field"), RAW)
def test_unreadable_bodies_are_400_and_a_missing_one_names_the_body(api, raw, status, code, field):
    _is_one_problem(api.call_raw("POST", "/threads", OWNER, raw), status, code, field)


@pytest.mark.parametrize(("body", "field"), BODIES)
def test_every_invalid_body_is_a_422_naming_its_field(api, body, field):
    _is_one_problem(api.call("POST", "/threads", OWNER, body), 422, "invalid_input", field)


@pytest.mark.parametrize(("path", "field"), QUERIES)
def test_every_invalid_query_or_path_is_a_422_naming_its_field(api, path, field):
    _is_one_problem(api.call("GET", path, OWNER), 422, "invalid_input", field)


@pytest.mark.parametrize(("method", "path", "sign_in", "status", "code"), REFUSALS)
def test_refusals_share_the_shape(api, method, path, sign_in, status, code):
    _is_one_problem(api.call(method, path, sign_in), status, code, None)
