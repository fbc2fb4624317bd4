"""Debian's Chromium (/usr/bin/chromium) driven by Playwright, for the browser tests and the
portal's measurements and screenshots. No browser is ever downloaded."""

from playwright.sync_api import Browser, Page, Playwright, expect

from localcloud.cloud import Endpoints

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Waits are for conditions (expect); this is only how long one may take to hold on a busy
# machine.
expect.set_options(timeout=20_000)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def sign_in_page(endpoints: Endpoints) -> str:
    """The demo firm's sign-in page, the one its invitations name."""
    return f"{endpoints.portal}/firms/{endpoints.demo_firm_id}/sign-in"


def sign_in(page: Page, endpoints: Endpoints, who: str) -> None:
    """Through the sign-in form (SRP against the local user pool), until the socket is open."""
    login = next(login for login in endpoints.logins if login["who"] == who)
    page.goto(sign_in_page(endpoints))
    page.get_by_label("a client" if login["portal"] == "client" else "with the firm").check()
    page.get_by_label("Email").fill(str(login["email"]))
    page.get_by_label("Password").fill(str(login["password"]))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("html[data-live=open]")).to_have_count(1)
