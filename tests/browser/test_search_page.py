"""The search page in real headless Chromium against a real server."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _search(page: Any, text: str) -> None:
    page.get_by_label("Search jobs").fill(text)
    page.get_by_label("Search jobs").press("Enter")


def _titles(page: Any) -> list[str]:
    return page.locator("#results .open-job").all_inner_texts()


def test_search_shows_results_with_badges(page: Any, tmp_path: Path) -> None:
    page.goto("/")
    expect(page.locator("#status")).to_contain_text("jobs found")  # browsing on load
    _search(page, "data engineer")
    expect(page.locator("#status")).to_contain_text(re.compile(r"\d+ jobs found"))
    expect(page).to_have_url(re.compile(r"\?q=data\+engineer"))
    first = page.locator("#results .result").first
    expect(first.locator(".company")).not_to_be_empty()
    assert first.locator(".badge").count() >= 1
    assert any("Engineer" in title or "Data" in title for title in _titles(page)[:3])
    page.get_by_label("Search jobs").blur()
    # JOBFORGE_UPDATE_SCREENSHOT=1 refreshes the README's screenshot; otherwise it goes to tmp_path.
    target = DOCS if os.environ.get("JOBFORGE_UPDATE_SCREENSHOT") else tmp_path
    page.screenshot(path=str(target / "screenshot-search.png"), full_page=False)
    assert (target / "screenshot-search.png").stat().st_size > 10_000


def test_filters_narrow_the_results(page: Any) -> None:
    page.goto("/?q=engineer")
    expect(page.locator("#status")).to_contain_text("jobs found")
    page.get_by_label("Remote").check()
    expect(page).to_have_url(re.compile(r"remote=remote"))
    expect(page.locator("#results .badge.workplace").first).to_have_text("Remote")
    workplaces = set(page.locator("#results .badge.workplace").all_inner_texts())
    assert workplaces == {"Remote"}
    page.get_by_label("Minimum salary (per year, USD)").fill("100000")
    page.get_by_label("Minimum salary (per year, USD)").press("Enter")
    expect(page).to_have_url(re.compile(r"salary_min=100000"))
    expect(page.locator("#results .badge.salary").first).to_be_visible()
    page.get_by_label("Posted within").select_option("30")
    expect(page).to_have_url(re.compile(r"posted_within_days=30"))


def test_pagination(page: Any) -> None:
    page.goto("/")
    expect(page.locator("#page-info")).to_have_text(re.compile(r"Page 1 of \d+"))
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    first_page = _titles(page)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#page-info")).to_have_text(re.compile(r"Page 2 of \d+"))
    expect(page.locator("#status")).to_contain_text("Showing 11\u201320")
    assert _titles(page) != first_page
    page.get_by_role("button", name="Previous").click()
    expect(page.locator("#page-info")).to_have_text(re.compile(r"Page 1 of"))
    assert _titles(page) == first_page


def test_open_a_job_with_the_keyboard_and_close_it_with_escape(page: Any) -> None:
    page.goto("/?q=nurse")
    opener = page.locator("#results .open-job").first
    title = opener.inner_text()
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#detail-title")).to_have_text(title)
    apply = dialog.get_by_role("link", name="Apply")
    assert re.match(r"https?://", apply.get_attribute("href") or "")
    assert apply.get_attribute("rel") == "noopener noreferrer"
    expect(dialog.locator("#detail-description p").first).not_to_be_empty()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


def test_empty_state(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Minimum salary (per year, USD)").fill("50000000")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#status")).to_have_text(re.compile("No jobs match"))
    expect(page.locator("#results .result")).to_have_count(0)
    expect(page.locator("#pagination")).to_be_hidden()


def test_error_state_names_the_field(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Location").fill("x" * 250)
    page.get_by_label("Location").press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("location")
    expect(page.locator("#results .result")).to_have_count(0)


def test_job_text_is_never_interpreted_as_html(page: Any, server: str, admin_headers: dict[str, str]) -> None:
    payload = "<img src=x onerror=\"document.body.dataset.pwned='yes'\">Evil <b>Title</b> &amp; <script>x()</script>"
    body = {
        "source": "browser-test",
        "jobs": [
            {
                "source_id": "xss-1",
                "title": payload,
                "company": "<i>Co</i>",
                "description": payload,
                "url": "https://example.com/xss-1",
            }
        ],
    }
    report = httpx.post(f"{server}/api/v1/jobs", json=body, headers=admin_headers, timeout=30).json()
    assert report["counts"]["added"] == 1, report
    stored = httpx.get(f"{server}/api/v1/search", params={"source": "browser-test"}).json()["hits"][0]["job"]
    assert "<" in stored["title"], "the title keeps its markup-like text; the page must show it as text"
    page.goto("/?q=Evil+Title")
    opener = page.locator(f"#results .open-job[data-job-id='{stored['id']}']")
    expect(opener).to_have_text(stored["title"])
    opener.click()
    expect(page.locator("#detail-title")).to_have_text(stored["title"])
    expect(page.locator("#detail-company")).to_have_text(stored["company"])
    assert page.locator("#job-detail img, #results img, #results b, #job-detail script").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


def test_phone_sized_screen(browser: Any, server: str) -> None:
    context = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/?q=designer")
    expect(page.locator("#status")).to_contain_text("jobs found")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#results .open-job").first.tap()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None and box["width"] <= 390
    context.close()
