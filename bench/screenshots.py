"""Screenshots of the portal's main pages at desktop and phone width, into
docs/screenshots/ (`python -m bench.screenshots`), from a fresh local cloud with demo data."""

import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.browser import launch, sign_in, sign_in_page
from bench.local_session import DemoSession
from localcloud.cloud import Endpoints
from localcloud.process import LocalCloudProcess
from localcloud.template import REPO_ROOT

OUT = REPO_ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def _conversation(endpoints: Endpoints) -> tuple[str, str]:
    """A thread of the demo firm with a few messages each way; its account and thread ids."""
    owner = DemoSession.sign_in(endpoints, "owner")
    client = DemoSession.sign_in(endpoints, "contact of Lovelace")
    with owner.http() as firm, client.http() as contact:
        accounts = firm.get("/accounts").json()["accounts"]
        account = next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace")
        thread = firm.post(
            "/threads",
            json={
                "account_id": account,
                "subject": "2025 tax return: documents still missing",
                "message": {
                    "client_id": uuid.uuid4().hex,
                    "body": "<p>Hello Ada, we still need:</p><ul><li>the <b>P60</b></li>"
                    "<li>your pension statement</li></ul>",
                },
            },
        ).json()
        path = f"/threads/{thread['thread_id']}"
        contact.post(f"{path}/read", json={}).raise_for_status()
        contact.post(
            f"{path}/messages",
            json={"client_id": uuid.uuid4().hex, "body": "<p>Both attached <i>tonight</i>.</p>"},
        ).raise_for_status()
    return account, str(thread["thread_id"])


def _shoot(browser: Browser, endpoints: Endpoints, who: str, pages: dict[str, str]) -> None:
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page: Page = context.new_page()
        if who == "owner" and width_name == "desktop":
            page.goto(sign_in_page(endpoints))
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            page.screenshot(path=OUT / f"sign-in-{width_name}.png")
        sign_in(page, endpoints, who)
        for name, hash_ in pages.items():
            page.goto(f"{endpoints.portal}/{hash_}")
            expect(page.get_by_role("heading").first).to_be_visible()
            expect(page.get_by_role("status")).to_have_count(0)
            page.screenshot(path=OUT / f"{name}-{width_name}.png", full_page=True)
        context.close()


def main() -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    with LocalCloudProcess() as cloud, sync_playwright() as playwright:
        endpoints = cloud.endpoints
        assert endpoints is not None
        account, thread = _conversation(endpoints)
        browser = launch(playwright)
        _shoot(
            browser,
            endpoints,
            "owner",
            {
                "firm-accounts": "#/accounts",
                "firm-account-threads": f"#/accounts/{account}",
                "firm-thread": f"#/threads/{thread}",
            },
        )
        _shoot(browser, endpoints, "contact of Lovelace", {"client-thread": f"#/threads/{thread}"})
        browser.close()
    return sorted(OUT.glob("*.png"))


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(REPO_ROOT))
