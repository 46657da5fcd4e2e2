"""Screenshot of a running dashboard for docs/: `python -m tests.dashboard.screenshot URL USER OUT`.

The password is read from PATHWATCH_DASHBOARD_PASSWORD. Used for docs/dashboard-region.png with
`make demo` running (see docs/dashboard.md); Debian's chromium, as in the browser tests.
"""

from __future__ import annotations

import os
import sys

from playwright.sync_api import sync_playwright

from pathwatch.stack import apt
from tests.dashboard.test_browser import CHROMIUM_ARGS


def main(url: str, user: str, out: str) -> None:
    """Log in, wait for the data, write a full-page PNG."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=apt.ensure("chromium", ["chromium"]), args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.fill("input[name=user]", user)
        page.fill("input[name=password]", os.environ["PATHWATCH_DASHBOARD_PASSWORD"])
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-loaded]", timeout=30_000)
        page.screenshot(path=out, full_page=True)
        browser.close()
    print(f"{out}: {page.url}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
