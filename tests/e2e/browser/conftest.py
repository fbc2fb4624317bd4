"""The portal in Debian's Chromium (installed by scripts/chromium.sh; no browser is ever
downloaded), driven by Playwright against the e2e tests' local cloud (bench.browser)."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bench.browser import launch, sign_in
from localcloud.cloud import Endpoints


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API holds an event loop on this thread while it runs; the in-process
    # handlers of later tests (Mangum) need it gone, so it lives for this module only.
    with sync_playwright() as playwright:
        chromium = launch(playwright)
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

    def signed_in_as(who: str, **viewport: int) -> Page:
        page = open_page(**viewport)
        sign_in(page, endpoints, who)
        return page

    return signed_in_as
