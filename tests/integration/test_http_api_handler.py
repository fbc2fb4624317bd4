"""The HTTP API function, fed the sample events in events/http_api/ as API Gateway would."""

import json

from firmchat.root import Root
from localcloud.template import resources_of_type


def test_health_answers_without_a_token(lambda_function, event):
    response = lambda_function("HttpApiFunction").invoke(event("http_api/health.json"))

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}


def test_me_is_the_principal_the_firms_records_make_of_the_verified_subject(
    lambda_function, event, demo_owner
):
    response = lambda_function("HttpApiFunction").invoke(event("http_api/me.json"))

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {
        "firm_id": "firm-demo",
        "user_id": demo_owner.user_id,
        "kind": "firm_user",
        "display_name": demo_owner.name,
        "role": "owner",
        "rights": [],
        "account_id": None,
        "settings": {
            "clients_can_start_threads": True,
            "show_content_in_client_emails": False,
            "require_mfa_for_firm_users": False,
            "inbox_for_account_members": True,
            "client_email_group_minutes": 5,
            "land_email_replies": False,
        },
        "mfa": False,
        "must_enrol_mfa": False,
    }


def test_a_verified_subject_the_firm_does_not_know_is_refused_with_401(lambda_function, event):
    response = lambda_function("HttpApiFunction").invoke(event("http_api/me.json"))

    assert response["statusCode"] == 401
    assert json.loads(response["body"])["code"] == "not_authenticated"


def test_claims_without_a_firm_are_refused_with_401(lambda_function, event):
    request = event("http_api/me.json")
    del request["requestContext"]["authorizer"]["jwt"]["claims"]["custom:firm_id"]

    response = lambda_function("HttpApiFunction").invoke(request)

    assert response["statusCode"] == 401
    assert json.loads(response["body"])["code"] == "not_authenticated"


def test_an_issued_ticket_is_redeemable_once(lambda_function, event, demo_owner):
    response = lambda_function("HttpApiFunction").invoke(event("http_api/issue_ws_ticket.json"))

    assert response["statusCode"] == 201
    ticket = json.loads(response["body"])["ticket"]
    assert ticket.startswith("firm-demo.")
    caller = Root().tickets.redeem(ticket)
    assert caller.subject == "8f1c2f6e-0000-4000-8000-000000000001"


def test_the_published_routes_are_exactly_the_template_routes(template, lambda_function):
    app = lambda_function("HttpApiFunction").module.app
    served = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    function = resources_of_type(template, "AWS::Serverless::Function")["HttpApiFunction"]
    declared = {
        (spec["Properties"]["Method"], spec["Properties"]["Path"])
        for spec in function["Properties"]["Events"].values()
        if spec["Type"] == "HttpApi"
    }
    assert served == declared


def test_every_operation_lists_its_problems_with_examples(lambda_function):
    app = lambda_function("HttpApiFunction").module.app
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            problems = {
                status: response
                for status, response in operation["responses"].items()
                if status.startswith("4")
            }
            if path == "/unsubscribe/{token}":
                # a person's page from their mail program (docs/api-errors.md): its 404 is
                # HTML by design, every other 4xx of it still a problem
                assert "text/html" in problems.pop("404")["content"]
            assert "422" in problems, (method, path)
            for status, response in problems.items():
                content = response["content"]["application/problem+json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Problem"}
                assert content["example"]["status"] == int(status)
