"""Mail: what SES accepted is listed with both bodies (the inbound door's tests are in
test_replies.py)."""

import uuid


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
