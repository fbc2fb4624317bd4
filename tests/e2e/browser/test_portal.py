"""The portal as people use it: two people in two browsers, holding a conversation live."""

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from localcloud.cloud import Endpoints


def _subject(what: str) -> str:
    return f"{what} {uuid.uuid4().hex[:8]}"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _account_id(http: httpx.Client, token: str, name: str) -> str:
    accounts = http.get("/accounts", headers=_auth(token)).json()["accounts"]
    return str(next(account["account_id"] for account in accounts if account["name"] == name))


def _thread(http: httpx.Client, token: str, account_id: str, subject: str) -> str:
    body = {"client_id": uuid.uuid4().hex, "body": "<p>Hello</p>"}
    response = http.post(
        "/threads",
        headers=_auth(token),
        json={"account_id": account_id, "subject": subject, "message": body},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["thread_id"])


def _row(page: Page, subject: str) -> Any:
    return page.locator("a[data-thread]", has_text=subject)


def _composer(page: Page) -> Any:
    return page.get_by_role("textbox", name="Your message")


def _my_last_status(page: Page) -> Any:
    return page.locator(".message.mine").last.get_by_test_id("status")


def test_a_firm_user_and_a_client_hold_a_conversation_live(signed_in: Callable[..., Page]) -> None:
    firm = signed_in("owner")
    client = signed_in("contact of Lovelace", width=390, height=800)  # a phone
    subject = _subject("2025 return")

    firm.get_by_role("link", name="All chats").click()
    firm.get_by_role("link", name="New thread").click()
    firm.get_by_label("Client account").select_option(label="Ada Lovelace")
    firm.get_by_label("Subject").fill(subject)
    firm.get_by_role("textbox", name="First message").fill("Please send your receipts.")
    firm.get_by_role("button", name="Start thread").click()
    expect(firm.get_by_role("heading", name=subject)).to_be_visible()
    expect(_my_last_status(firm)).to_have_text("Sent")

    # The client's list, loaded before the thread existed, shows it unread.
    expect(_row(client, subject).get_by_test_id("unread")).to_have_text("1")
    _row(client, subject).click()
    expect(client.get_by_text("Please send your receipts.")).to_be_visible()
    expect(_my_last_status(firm)).to_have_text("Read")

    _composer(client).fill("Here they come")
    expect(firm.get_by_text("Ada Lovelace is typing…")).to_be_visible()
    firm.get_by_role("link", name="Client accounts").click()
    expect(firm.get_by_role("link", name=re.compile("Ada Lovelace"))).to_be_visible()
    firm.get_by_role("link", name=re.compile("Ada Lovelace")).click()
    expect(_row(firm, subject)).to_be_visible()
    expect(_row(firm, subject).get_by_test_id("unread")).to_have_count(0)

    _composer(client).press("Control+Enter")
    expect(client.locator(".message.mine").last).to_contain_text("Here they come")
    expect(_composer(client)).to_have_text("")
    expect(_row(firm, subject).get_by_test_id("unread")).to_have_text("1")
    expect(_my_last_status(client)).to_have_text("Sent")

    _row(firm, subject).click()
    expect(firm.locator(".message").last).to_contain_text("Here they come")
    expect(firm.locator(".message").last.locator(".author")).to_have_text("Ada Lovelace")
    expect(_my_last_status(client)).to_have_text("Read")


def test_a_hostile_message_renders_as_text(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    thread_id = _thread(http, owner, _account_id(http, owner, "Ada Lovelace"), _subject("Hostile"))
    client = signed_in("contact of Lovelace")
    client.goto(f"{client.url.split('#')[0]}#/threads/{thread_id}")
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'

    _composer(client).fill(hostile)
    client.get_by_role("button", name="Send").click()

    last = client.locator(".message").last
    expect(last.locator(".body")).to_have_text(hostile)
    expect(last.locator("img, script")).to_have_count(0)
    assert client.evaluate("window.pwned") is None


def test_leaving_with_an_unsent_draft_warns(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    thread_id = _thread(http, owner, _account_id(http, owner, "Ada Lovelace"), _subject("Draft"))
    page = signed_in("owner")
    page.goto(f"{page.url.split('#')[0]}#/threads/{thread_id}")
    # Typed for real: a browser asks before leaving only a page the person interacted with.
    _composer(page).press_sequentially("Half a thought")

    with page.expect_event("dialog") as leaving:
        page.close(run_before_unload=True)
    warning = leaving.value
    assert warning.type == "beforeunload"
    warning.dismiss()
    expect(_composer(page)).to_have_text("Half a thought")


def test_a_member_without_access_sees_no_trace_of_another_account(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    secret = _subject("Babbage estate")
    thread_id = _thread(
        http, owner, _account_id(http, owner, "Charles & Georgiana Babbage"), secret
    )
    page = signed_in("member assigned to Lovelace")

    page.get_by_role("link", name="All chats").click()
    expect(page.get_by_role("heading", name="All chats")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)  # loaded
    page.get_by_role("link", name="Client accounts").click()
    expect(page.get_by_role("heading", name="Client accounts")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    page.goto(f"{page.url.split('#')[0]}#/threads/{thread_id}")
    expect(page.get_by_role("alert")).to_contain_text("no longer exists")
    assert "Babbage" not in page.content()
    page.get_by_role("link", name="All chats").click()
    expect(page.get_by_role("heading", name="All chats")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    assert "Babbage" not in page.content()


def test_an_invited_contact_activates_and_signs_in(
    endpoints: Endpoints, open_page: Callable[..., Page]
) -> None:
    mails = httpx.get(endpoints.mail_json, timeout=30).json()
    invitation = next(mail for mail in mails if mail["to"] == ["georgiana@babbage.example"])
    link = re.search(r"http\S+/invitation#\S+", invitation["text"])
    assert link is not None
    assert link.group(0).startswith(endpoints.portal)
    page = open_page()

    page.goto(link.group(0))
    page.get_by_label("New password").fill("Chosen-password-2026")
    page.get_by_label("The same password again").fill("Chosen-password-2026")
    page.get_by_role("button", name="Activate my login").click()
    expect(page.get_by_role("heading", name="Your login is ready")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("a client").check()
    page.get_by_label("Email").fill("georgiana@babbage.example")
    page.get_by_label("Password").fill("Chosen-password-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your threads")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    # No token is left behind; only which firm's sign-in page this tab was on.
    assert json.loads(page.evaluate("JSON.stringify(Object.keys(sessionStorage))")) == [
        "firmchat.firm"
    ]


def test_a_contact_whose_access_ends_sees_a_clear_page(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = _auth(id_token("owner"))
    account_id = _account_id(http, id_token("owner"), "Charles & Georgiana Babbage")
    contacts = http.get(f"/accounts/{account_id}/contacts", headers=owner).json()
    charles = next(c for c in contacts if c["email"] == "charles@babbage.example")
    path = f"/accounts/{account_id}/contacts/{charles['contact_id']}"
    page = signed_in("contact of Babbage")
    try:
        response = http.patch(path, headers=owner, json={"portal_access": False})
        assert response.status_code == 200, response.text

        # The socket is closed, a fresh ticket refused: the page says so without a reload.
        expect(page.get_by_role("heading", name="Your access has ended")).to_be_visible()
        expect(page.get_by_role("link", name="Threads")).to_have_count(0)
    finally:
        http.patch(path, headers=owner, json={"portal_access": True})


def test_a_long_subject_keeps_the_phone_layout_whole(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    subject = _subject("Unbreakable" + "x" * 180)
    thread_id = _thread(http, owner, _account_id(http, owner, "Ada Lovelace"), subject)
    page = signed_in("contact of Lovelace", width=390, height=800)

    expect(_row(page, subject)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{page.url.split('#')[0]}#/threads/{thread_id}")
    expect(page.get_by_role("heading", name=subject)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_firm_adds_a_task_the_client_ticks_it_and_both_see_it_live(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    thread_id = _thread(http, owner, _account_id(http, owner, "Ada Lovelace"), _subject("Tasks"))
    firm = signed_in("owner")
    firm.goto(f"{firm.url.split('#')[0]}#/threads/{thread_id}")
    client = signed_in("contact of Lovelace")
    client.goto(f"{client.url.split('#')[0]}#/threads/{thread_id}")
    firm_tasks = firm.get_by_role("region", name="Tasks")
    client_tasks = client.get_by_role("region", name="Tasks")

    firm.get_by_label("New task").fill("Upload your W-2")
    firm.get_by_role("button", name="Add task").click()
    firm.get_by_label("New task").fill("Sign the letter")
    firm.get_by_role("button", name="Add task").click()
    expect(firm_tasks.locator(".count")).to_have_text("0/2")
    expect(client_tasks.locator(".count")).to_have_text("0/2")  # live, through the socket
    expect(client.locator(".message").last).to_contain_text("Sign the letter")

    client_tasks.get_by_role("checkbox", name="Upload your W-2").check()
    expect(firm_tasks.locator(".count")).to_have_text("1/2")
    expect(firm_tasks.get_by_role("checkbox", name="Upload your W-2")).to_be_checked()
    expect(client_tasks.get_by_role("button", name="Add task")).to_have_count(0)

    firm.on("dialog", lambda dialog: dialog.accept())
    firm_tasks.get_by_role("button", name="Delete task Sign the letter").click()
    expect(client_tasks.locator(".count")).to_have_text("1/1")
    firm_tasks.get_by_role("button", name="Resend tasks").click()
    expect(client.locator(".message").last).to_contain_text("Upload your W-2")


def test_the_client_ticks_an_open_task_on_their_dashboard(
    signed_in: Callable[..., Page], http: httpx.Client, id_token: Callable[[str], str]
) -> None:
    owner = id_token("owner")
    subject = _subject("Dashboard tasks")
    response = http.post(
        "/threads",
        headers=_auth(owner),
        json={
            "account_id": _account_id(http, owner, "Ada Lovelace"),
            "subject": subject,
            "message": {"client_id": uuid.uuid4().hex, "body": "<p>Two things</p>"},
            "tasks": [{"text": f"Upload the {subject} receipts"}, {"text": f"Sign {subject}"}],
        },
    )
    assert response.status_code == 201, response.text
    client = signed_in("contact of Lovelace")
    waiting = client.get_by_role("region", name="Open tasks")
    waiting.get_by_role("checkbox", name=f"Upload the {subject} receipts").check()
    expect(waiting.get_by_role("checkbox", name=f"Upload the {subject} receipts")).to_have_count(0)
    expect(waiting.get_by_role("checkbox", name=f"Sign {subject}")).to_be_visible()
    expect(client.locator(".task-count", has_text="1/2")).to_be_visible()
