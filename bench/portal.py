"""The portal's thread view: what a browser downloads to show it, and how long from the
navigation until it can be used (messages shown, composer ready, socket open), in Debian's
Chromium against the local cloud.

    python -m bench.portal [--rounds N]
"""

import gzip
import statistics
import uuid
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

from bench.browser import launch, sign_in
from bench.local_session import DemoSession
from bench.report import Samples, percentile, run_in_rounds, table
from localcloud.cloud import Endpoints
from localcloud.portal import DIST
from localcloud.process import LocalCloudProcess

_WEIGHT = """() => [performance.getEntriesByType("navigation")[0],
  ...performance.getEntriesByType("resource")]
  .filter((entry) => entry.name.startsWith(location.origin))
  .reduce((sum, entry) => sum + entry.encodedBodySize, 0)"""


def _thread(endpoints: Endpoints) -> str:
    owner = DemoSession.sign_in(endpoints, "owner")
    with owner.http() as http:
        accounts = http.get("/accounts").json()["accounts"]
        account = next(a["account_id"] for a in accounts if a["name"] == "Ada Lovelace")
        thread = http.post(
            "/threads",
            json={
                "account_id": account,
                "subject": "Measured thread",
                "message": {"client_id": uuid.uuid4().hex, "body": "<p>First</p>"},
            },
        ).json()
        for number in range(24):
            http.post(
                f"/threads/{thread['thread_id']}/messages",
                json={"client_id": uuid.uuid4().hex, "body": f"<p>Message {number}</p>"},
            ).raise_for_status()
    return str(thread["thread_id"])


def _open_thread(page: Page) -> dict[str, float]:
    page.reload()
    expect(page.locator(".message")).to_have_count(25)
    expect(page.get_by_role("textbox", name="Your message")).to_be_editable()
    expect(page.locator("html[data-live=open]")).to_have_count(1)
    ready_ms: float = page.evaluate("performance.now()")
    same_origin_bytes: float = page.evaluate(_WEIGHT)
    return {"ready_ms": ready_ms, "bytes": same_origin_bytes}


def measure(rounds: int) -> Samples:
    samples: Samples = {"thread view, 25 messages": []}
    with LocalCloudProcess() as cloud, sync_playwright() as playwright:
        endpoints = cloud.endpoints
        assert endpoints is not None
        thread_id = _thread(endpoints)
        browser = launch(playwright)
        for _ in range(rounds):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            sign_in(page, endpoints, "owner")
            page.goto(f"{endpoints.portal}/#/threads/{thread_id}")
            samples["thread view, 25 messages"].append(_open_thread(page))
            context.close()
        browser.close()
    return samples


def _gzipped_assets() -> int:
    files = [DIST / "index.html", *(DIST / "assets").iterdir()]
    return sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)


def render(samples: Samples) -> str:
    rows: list[list[Any]] = []
    for name, runs in samples.items():
        ready = [run["ready_ms"] for run in runs]
        rows.append(
            [
                name,
                len(runs),
                f"{statistics.median(ready):.0f}",
                f"{percentile(ready, 0.95):.0f}",
                f"{statistics.median(run['bytes'] for run in runs) / 1024:.0f}",
                f"{_gzipped_assets() / 1024:.0f}",
            ]
        )
    return table(
        [
            "page",
            "loads",
            "interactive p50 ms",
            "interactive p95 ms",
            "app files KiB (as served here)",
            "app files KiB gzipped",
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> str:
    return run_in_rounds(
        argv,
        doc=__doc__ or "",
        default_rounds=5,
        measure=measure,
        render=render,
        title="Portal: thread view",
        command="python -m bench.portal",
        description="A signed-in owner reloads a thread of 25 messages in headless Chromium "
        "(a fresh browser context each round, so nothing cached). Interactive: from the "
        "navigation's start until the 25 messages are shown, the composer is editable and "
        "the WebSocket is open, as the driver observes it. App files: the page, script "
        "and style sheet fetched from the portal's origin (the local cloud serves them "
        "uncompressed; CloudFront compresses, hence the gzipped column). API calls are "
        "not counted.",
    )


if __name__ == "__main__":
    print(main())
