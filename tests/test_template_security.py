"""What template.yaml promises about identity and deploys (docs/security.md, "Identity")."""

from typing import Any


def _app_clients(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Cognito::UserPoolClient"
    }


def test_no_app_client_lets_users_write_their_email(template: dict[str, Any]) -> None:
    """An empty or missing list would allow every standard attribute."""
    for name, client in _app_clients(template).items():
        written = client["Properties"].get("WriteAttributes")
        assert written, name
        assert "email" not in written, name


def test_only_the_local_tooling_client_signs_in_with_a_plain_password(
    template: dict[str, Any],
) -> None:
    for name, client in _app_clients(template).items():
        flows = client["Properties"]["ExplicitAuthFlows"]
        if "ALLOW_USER_PASSWORD_AUTH" in flows:
            assert client.get("Condition") == "HasLocalTooling", name
    assert template["Parameters"]["LocalTooling"]["Default"] == "false"


def test_the_user_pool_survives_stack_deletion_and_offers_mfa(template: dict[str, Any]) -> None:
    pool = template["Resources"]["UserPool"]
    assert pool["DeletionPolicy"] == "Retain"
    assert pool["Properties"]["MfaConfiguration"] == "OPTIONAL"
    assert pool["Properties"]["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert "UsernameAttributes" not in pool["Properties"]


def test_a_deploy_names_its_portal_origin_or_gets_its_own_cloudfront_address(
    template: dict[str, Any],
) -> None:
    """No development origin can leak into a deploy: left empty, the origin is the stack's
    own CloudFront address (https), which CORS and the mailed links then name."""
    assert template["Parameters"]["PortalOrigin"]["Default"] == ""
    assert template["Conditions"]["PortalOnCloudFront"] == {
        "Fn::Equals": [{"Ref": "PortalOrigin"}, ""]
    }
    origin = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]["AllowOrigins"]
    assert origin == [
        {
            "Fn::If": [
                "PortalOnCloudFront",
                {"Fn::Sub": "https://${PortalDistribution.DomainName}"},
                {"Ref": "PortalOrigin"},
            ]
        }
    ]


def test_both_apis_throttle_their_stage_and_keep_an_audit_trail(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    http = resources["HttpApi"]["Properties"]
    socket = resources["WebSocketStage"]["Properties"]
    for stage in (http, socket):
        limits = stage["DefaultRouteSettings"]
        assert limits["ThrottlingBurstLimit"] > 0 < limits["ThrottlingRateLimit"]
        logs = stage["AccessLogSettings"]
        group = resources[logs["DestinationArn"]["Fn::GetAtt"][0]]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert group["Properties"]["RetentionInDays"] == {"Ref": "AuditRetentionDays"}
        assert group["DeletionPolicy"] == "Retain"
        for field in ("$context.requestId", "$context.routeKey", "$context.status", "sub"):
            assert field in logs["Format"]
