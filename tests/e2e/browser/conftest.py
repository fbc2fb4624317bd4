"""The portal in Debian's Chromium (/usr/bin/chromium, installed by scripts/chromium.sh; no
browser is ever downloaded), driven by Playwright against the e2e tests' local cloud."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from localcloud.cloud import Endpoints
from tests.e2e.conftest import login_of

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
# Waits are for conditions (expect); this is only how long a condition may take to hold.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A page in a browser context of its own (its own session), phone-wide if asked."""
    contexts = []

    def page(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield page
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(endpoints: Endpoints, open_page: Callable[..., Page]) -> Callable[..., Page]:
    """A page signed in through the sign-in form (SRP against the local user pool)."""

    def sign_in(who: str, **viewport: int) -> Page:
        login = login_of(endpoints, who)
        page = open_page(**viewport)
        page.goto(endpoints.portal)
        page.get_by_label("a client" if login["portal"] == "client" else "with the firm").check()
        page.get_by_label("Email").fill(str(login["email"]))
        page.get_by_label("Password").fill(str(login["password"]))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        # Live from here on: the socket is open.
        expect(page.locator("html[data-live=open]")).to_have_count(1)
        return page

    return sign_in
