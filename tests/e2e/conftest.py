"""Browser tests: Playwright driving the system Chromium against a live Django server.

Never a downloaded browser: Chromium comes from the OS (Debian package ``chromium``) or
``CHROMIUM_PATH``. Without it the tests are skipped, and the run says how many and why;
with ``REQUIRE_BROWSER=1`` (as in .ci/run) a missing browser fails the run instead.
"""

import os
import re

import pytest

from cms.archive.browser_checks import find_chromium

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# (fixtures building pages) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SERIOUS_IMPACTS = {"serious", "critical"}


CHROMIUM = find_chromium()
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") not in {"", "0", "false"}
SKIP_REASON = (
    "no Chromium found (install the Debian package 'chromium' or set CHROMIUM_PATH); "
    "set REQUIRE_BROWSER=1 to fail instead"
)


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/e2e/" in item.nodeid]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
    config._lernfunk_browser_tests = len(browser_items)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_lernfunk_browser_tests", 0)
    if count and CHROMIUM is None and not REQUIRE_BROWSER:
        terminalreporter.write_sep("!", f"{count} browser tests SKIPPED: {SKIP_REASON}")
    elif count:
        terminalreporter.write_line(f"browser tests ran in Chromium: {CHROMIUM}")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail(f"REQUIRE_BROWSER is set but {SKIP_REASON}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core (bundled with axe-playwright-python) and fail on serious/critical issues."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        serious = [
            violation
            for violation in results.response["violations"]
            if violation.get("impact") in SERIOUS_IMPACTS
        ]
        report = "\n".join(
            f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])} nodes: "
            f"{[node['target'] for node in v['nodes'][:3]]})"
            for v in serious
        )
        assert not serious, f"axe found serious accessibility problems on {page.url}:\n{report}"
        return results

    return check


CSP_VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


@pytest.fixture
def violations(page):
    """Everything Chromium blocked under the Content-Security-Policy (it says so on the
    console) and every script error, as ``"<url>: <message>"``."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if CSP_VIOLATION.search(message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found
