"""The admin dashboard on the search page, and the page's analytics events, in headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _report(server: str, headers: dict[str, str]) -> dict[str, Any]:
    response = httpx.get(f"{server}/api/v1/analytics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_views_from_the_page_count_as_clicks_of_their_query(
    page: Any, server: str, admin_headers: dict[str, str]
) -> None:
    before = _report(server, admin_headers)
    page.goto("/?q=nurse")
    expect(page.locator("#status")).to_contain_text("jobs found")
    page.locator("#results .open-job").first.click()
    expect(page.locator("#job-detail")).to_be_visible()
    page.keyboard.press("Escape")
    after = before
    for _ in range(50):  # the event is sent in the background
        after = _report(server, admin_headers)
        if after["interactions"].get("job_viewed", 0) > before["interactions"].get("job_viewed", 0):
            break
        page.wait_for_timeout(100)
    nurse = next(q for q in after["top_queries"] if q["query"] == "nurse")
    assert nurse["clicked"] >= 1


def test_admins_see_charts_and_others_do_not(
    page: Any, server: str, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    for query in ("data engineer", "data engineer", "nurse", "xyzzy plugh"):
        httpx.get(f"{server}/api/v1/search", params={"q": query}, headers=admin_headers, timeout=10)
    page.goto("/")
    expect(page.locator("#status")).to_contain_text("jobs found")
    assert page.locator("#dashboard").is_hidden()
    page.locator("details.api-key summary").click()
    page.get_by_label("API key (only needed when search is not public)").fill("jf_not-a-real-key")
    page.get_by_label("API key (only needed when search is not public)").press("Tab")
    page.wait_for_timeout(300)
    assert page.locator("#dashboard").is_hidden()
    page.get_by_label("API key (only needed when search is not public)").fill(admin_headers["X-API-Key"])
    page.get_by_label("API key (only needed when search is not public)").press("Tab")
    dashboard = page.locator("#dashboard")
    expect(dashboard).to_be_visible()
    expect(page.locator("#dashboard-summary")).to_contain_text("searches by")
    captions = page.locator("#dashboard figcaption").all_inner_texts()
    assert "Searches per day" in captions
    assert "Top queries (click-through, apply rate)" in captions
    assert "Queries that found nothing" in captions
    assert page.locator("#dashboard svg[role=img]").count() >= 3
    assert "xyzzy plugh" in page.locator("#dashboard").inner_text()
    target = DOCS if os.environ.get("JOBFORGE_UPDATE_SCREENSHOT") else tmp_path
    dashboard.screenshot(path=str(target / "screenshot-dashboard.png"))
    assert (target / "screenshot-dashboard.png").stat().st_size > 5_000


def test_query_text_in_charts_is_never_markup(page: Any, server: str, admin_headers: dict[str, str]) -> None:
    payload = '<img src=x onerror="window.pwned=1">'
    httpx.get(f"{server}/api/v1/search", params={"q": payload}, headers=admin_headers, timeout=10)
    page.goto("/")
    page.locator("details.api-key summary").click()
    page.get_by_label("API key (only needed when search is not public)").fill(admin_headers["X-API-Key"])
    page.get_by_label("API key (only needed when search is not public)").press("Tab")
    expect(page.locator("#dashboard")).to_be_visible()
    assert page.locator("#dashboard img").count() == 0
    assert page.evaluate("window.pwned") is None
