"""Mail: what SES accepted is listed with both bodies; the inbound door says when nothing
in the template receives mail."""

import uuid

import pytest

from localcloud.template import load_template, resources_of_type


def test_a_message_sent_through_ses_is_listed_with_text_and_html(console, endpoints, aws_client):
    subject = f"Your documents are ready {uuid.uuid4().hex[:6]}"
    aws_client("sesv2").send_email(
        FromEmailAddress=endpoints.resources["SenderIdentity"],
        Destination={"ToAddresses": ["ada@lovelace.example"]},
        Content={
            "Simple": {
                "Subject": {"Data": subject},
                "Body": {"Text": {"Data": "plain words"}, "Html": {"Data": "<p>rich words</p>"}},
            }
        },
    )

    listed = [
        mail for mail in console.get(endpoints.mail_json).json() if mail["subject"] == subject
    ]
    page = console.get(endpoints.mail).text

    assert len(listed) == 1
    assert listed[0]["to"] == ["ada@lovelace.example"]
    assert (listed[0]["text"], listed[0]["html"]) == ("plain words", "<p>rich words</p>")
    assert subject in page


def test_the_invitations_of_the_demo_data_are_in_the_outbox(console, endpoints):
    recipients = {
        address for mail in console.get(endpoints.mail_json).json() for address in mail["to"]
    }

    assert "georgiana@babbage.example" in recipients


def test_inbound_mail_says_no_function_receives_it_while_the_template_wires_none(
    console, endpoints
):
    if resources_of_type(load_template(), "AWS::SES::ReceiptRule"):
        pytest.skip("the template wires a receiving function; its own tests drive the door")
    response = console.post(
        endpoints.inbound_mail,
        json={"from": "ada@lovelace.example", "to": ["reply@firmchat.example"], "text": "hi"},
    )

    assert response.status_code == 404
    assert "no function receives inbound mail" in response.json()["message"]
