"""The archive's checks that need a browser: its search and axe, in the system Chromium.

Never a downloaded browser: Chromium comes from the OS (Debian package ``chromium``) or
``CHROMIUM_PATH``; Playwright and axe-core (``axe-playwright-python``) come with the test
requirements. Without them the checks do not run and the report says why.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS_IMPACTS = {"serious", "critical"}
TOP = 3  # a relevance case passes when an expected title is among the first three hits
MAX_TITLE_QUERIES = 50  # per language, when the index's own titles are the relevance set


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    candidates = [configured] if configured else []
    candidates += ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@contextmanager
def _launched(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def run_browser_checks(
    origin, page_types, search_pages, report, *, browser=None, chromium=None, relevance_set=None
) -> None:
    if browser is not None:
        _check(browser, origin, page_types, search_pages, report, relevance_set)
        return
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        report.browser = "browser checks did not run"
        report.problems.append(
            "search and axe: Playwright or axe-playwright-python is not installed "
            "(pip install -r requirements-dev.txt), or pass --skip-browser"
        )
        return
    chromium = chromium or find_chromium()
    if not chromium or not Path(chromium).is_file() or not os.access(chromium, os.X_OK):
        report.browser = "browser checks did not run"
        report.problems.append(
            f"search and axe: no Chromium {'at ' + chromium if chromium else 'found'} "
            "(install the Debian package 'chromium' or set CHROMIUM_PATH), "
            "or pass --skip-browser"
        )
        return
    with _launched(chromium) as launched:
        _check(launched, origin, page_types, search_pages, report, relevance_set)


def _check(browser, origin, page_types, search_pages, report, relevance_set) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        for language, search_url in sorted(search_pages.items()):
            cases = (
                relevance_set.get(language, [])
                if relevance_set is not None
                else _title_cases(page, search_url)
            )
            for query, expected in cases:
                report.search_queries += 1
                titles = _search(page, search_url, query)
                if not set(expected) & set(titles[:TOP]):
                    report.problems.append(
                        f"{search_url}?{urlencode({'q': query})}: none of {sorted(expected)} "
                        f"among the first {TOP} results {titles[:TOP]}"
                    )
        if relevance_set:
            for language in sorted(set(relevance_set) - set(search_pages)):
                report.problems.append(f"search: no search page with an index in {language!r}")
        axe = Axe()
        for (language, kind), url in sorted(page_types.items()):
            page.goto(url)
            report.axe_pages += 1
            violations = [
                violation
                for violation in axe.run(page).response["violations"]
                if violation.get("impact") in SERIOUS_IMPACTS
            ]
            for violation in violations:
                targets = [node["target"] for node in violation["nodes"][:3]]
                report.problems.append(
                    f"{url}: axe {violation['impact']} {violation['id']} ({kind}, {language}): "
                    f"{violation['help']} {targets}"
                )
    finally:
        context.close()


def _title_cases(page, search_url: str) -> list:
    index = page.request.get(search_url + "index.json").json()
    return [(doc["title"], {doc["title"]}) for doc in index["documents"][:MAX_TITLE_QUERIES]]


def _search(page, search_url: str, query: str) -> list[str]:
    page.goto(f"{search_url}?{urlencode({'q': query})}")
    page.wait_for_function("() => (document.getElementById('results-heading') || {}).textContent")
    return [title.strip() for title in page.locator(".search-hit__title").all_inner_texts()]
