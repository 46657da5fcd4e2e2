"""The dashboard in a real browser: Debian's chromium, driven by Playwright (never its downloads).

Screenshots go to test-artifacts/dashboard/ (gitignored).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from pathwatch.stack import apt
from tests.dashboard import factories
from tests.dashboard.conftest import ARTIFACTS, Dashboard

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless chromium from Debian (installed with apt-get when missing)."""
    path = apt.ensure("chromium", ["chromium"])
    pw: Playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def login(browser: Browser, dash: Dashboard, user: str) -> tuple[Page, list[str]]:
    """A page logged in as `user`, on their home page with data loaded; every URL it requested."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(15_000)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(dash.url + "/")
    assert "/login" in page.url
    page.fill("input[name=user]", user)
    page.fill("input[name=password]", dash.password(user))
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-loaded]")
    return page, requested


def tile(page: Page, key: str) -> str:
    return page.inner_text(f"#headline [data-figure={key}] .value")


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> float:
    """Poll `check` from Python (the page's CSP forbids evaluating strings); seconds it took."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def test_region_overview_renders_and_updates_live(browser: Browser, dashboard: Dashboard) -> None:
    page, requested = login(browser, dashboard, "hovedstaden")
    assert page.url.endswith("/region/RAR_HOVEDSTADEN")
    assert page.inner_text("#title").startswith("RAR Hovedstaden")
    assert tile(page, "citizens") == "93"
    assert "2025-06-30 12:00 UTC" in page.inner_text("#watermark")
    # Charts are drawn: bars of the funnel, the KM step line, weekly conversation lines.
    assert page.locator("svg[data-chart=funnel] rect").count() == 7
    assert page.locator("svg[data-chart=m04-km] path.line").count() == 1
    assert page.locator("svg[data-chart=m04-hist] rect.bar").count() > 5
    assert page.locator("svg[data-chart=m10] path.line").count() == 3  # all, treatment, control
    assert page.locator("svg[data-chart=m19] path.line").count() == 2
    assert page.locator("#alerts tr").count() > 10
    # Glostrup's 3 citizens are shown as suppressed, never as a number.
    glostrup = page.locator("#breakdown tr", has_text="Glostrup")
    assert glostrup.locator(".suppressed").count() >= 6
    assert "3" not in glostrup.locator("td").nth(1).inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "region-overview.png"), full_page=True)

    # Live: ten new pathways in Brøndby and a newer watermark arrive while the page is open.
    later = factories.NOW + timedelta(days=1)
    new = [
        factories.fact(
            i,
            "153",
            factories.REGION,
            entry=later - timedelta(days=30),
            placed_after_days=10,
            visited_after_days=2,
            prefix="live",
        )
        for i in range(10)
    ]
    started = time.monotonic()
    factories.load(dashboard.pipe.settings, new, marks=[factories.watermark(later)])
    # Facts and watermark are separate inserts: a poll may see one before the other.
    wait_until(
        lambda: (
            tile(page, "citizens") == "103"
            and "2025-07-01 12:00 UTC" in page.inner_text("#watermark")
        ),
        timeout=5,
    )
    elapsed = time.monotonic() - started
    assert elapsed < 5
    page.screenshot(path=str(ARTIFACTS / "region-overview-live.png"), full_page=True)
    # Offline: every request went to the dashboard itself.
    assert requested
    assert all(u.startswith(dashboard.url) for u in requested)
    print(f"live update visible after {elapsed:.2f} s")


def test_drill_down_to_a_municipality(browser: Browser, dashboard: Dashboard) -> None:
    page, _ = login(browser, dashboard, "hovedstaden")
    page.click("#breakdown a:has-text('Brøndby')")
    page.wait_for_url("**/municipality/153")
    page.wait_for_selector("body[data-loaded]")
    page.wait_for_selector("#title:has-text('Brøndby')")
    assert tile(page, "citizens") == "30"
    assert page.inner_text("#breakdown-title") == "Job centres"
    assert page.locator("#breakdown tr", has_text="jc153").count() == 1
    # Cohort view: choosing an entry month narrows every panel to that cohort.
    months = page.locator("#cohort option").all_inner_texts()[1:]
    assert len(months) >= 5
    page.select_option("#cohort", months[0])
    page.wait_for_selector(f"#title:has-text('cohort {months[0]}')")
    page.screenshot(path=str(ARTIFACTS / "municipality-drilldown.png"), full_page=True)


def test_alert_list_filters_and_sorts(browser: Browser, dashboard: Dashboard) -> None:
    page, _ = login(browser, dashboard, "hovedstaden")

    def rules() -> set[str]:
        return {t[:3] for t in page.locator("#alerts tr td:first-child").all_inner_texts()}

    def ages() -> list[int]:
        return [int(t) for t in page.locator("#alerts tr td:nth-child(4)").all_inner_texts()]

    page.select_option("#f-rule", "A23")
    wait_until(lambda: rules() == {"A23"})
    page.select_option("#f-rule", "")
    wait_until(lambda: rules() == {"A03", "A23"})
    assert len(ages()) > 10
    assert ages() == sorted(ages(), reverse=True)
    page.click("#alerts th[data-sort=age]")  # same column again: ascending
    wait_until(lambda: ages()[0] < ages()[-1])
    assert ages() == sorted(ages())


def test_regional_user_cannot_reach_another_region(browser: Browser, dashboard: Dashboard) -> None:
    page, _ = login(browser, dashboard, "hovedstaden")
    response = page.goto(dashboard.url + "/region/RAR_FYN")
    assert response is not None
    assert response.status == 403
    assert "another region" in page.inner_text("#forbidden")
    api = page.evaluate("fetch('/api/region/RAR_FYN/overview').then(r => r.status)")
    assert api == 403
    odense = page.goto(dashboard.url + "/municipality/461")
    assert odense is not None
    assert odense.status == 403
    page.screenshot(path=str(ARTIFACTS / "forbidden.png"))


def test_national_login_sees_every_region(browser: Browser, dashboard: Dashboard) -> None:
    page, _ = login(browser, dashboard, "national")
    assert page.url.endswith("/national")
    rows = page.locator("#breakdown tr").all_inner_texts()
    assert any("RAR Hovedstaden" in r for r in rows)
    assert any("RAR Fyn" in r for r in rows)
    assert tile(page, "citizens") == "113"
