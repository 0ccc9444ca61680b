"""Browser tests: a real Chromium (Debian's package) driven by Playwright.

Every browser context the tests open goes through ``watched_context``, which holds each
journey to what any page of the portal must do (``Journey``): `dir="rtl"`, nothing wider than
the screen, no console errors, no failed requests, nothing fetched from another host. The
checks run when the context closes, so a test fails on a page it only passed through.

Set SCREENSHOT_DIR to keep a PNG of every page a test looks at, and E2E_HTML_DIR to keep the
HTML of every page the journeys load (for the HTML validator).
"""

import contextlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's ORM in the test
# thread is still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The measurement every loaded page reports once it has loaded (in the page itself, so a test
# that moves on at once cannot race it). Only our own HTML documents in the top window count:
# a downloaded file or a frame is not a page of the portal.
MEASURE = """() => {
    const root = document.documentElement;
    return {
        url: location.href,
        dir: root.getAttribute("dir"),
        scrollWidth: root.scrollWidth,
        viewportWidth: window.innerWidth,
    };
}"""
REPORT_ON_LOAD = f"""
addEventListener("load", () => {{
    if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
    if (document.contentType !== "text/html") return;
    window.__journeyPageLoaded(({MEASURE})());
}});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """What one browser context met: the pages it loaded and everything that went wrong.

    *origin* is the live server's address; a request anywhere else is a problem, because the
    portal must work on a closed network. *html_dir*, when given, receives the HTML of every
    page loaded, named after *label* and the order of the visit.
    """

    def __init__(self, origin: str, *, label: str, html_dir: str | None = None):
        self.host = urlsplit(origin).netloc
        self.label = re.sub(r"[^\w.-]+", "_", label).strip("_")
        self.html_dir = Path(html_dir) if html_dir else None
        self.pages: list[dict] = []
        self.problems: list[str] = []
        self._saved = 0

    def watch(self, context) -> None:
        context.expose_binding("__journeyPageLoaded", lambda _source, data: self.loaded(data))
        context.add_init_script(REPORT_ON_LOAD)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))
        context.on("request", self._request)
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)

    def loaded(self, data: dict) -> None:
        self.pages.append(data)

    def _console(self, message) -> None:
        # Chromium also logs every response of 400 or more as "Failed to load resource"; those
        # are judged in _response, where a page a test opens to see a refusal is told apart.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url", "")
            self.problems.append(f"console error on {where}: {message.text}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")

    def _request_failed(self, request) -> None:
        # ERR_ABORTED is the browser calling a request off itself: an image it no longer
        # needs, a page left before it finished. A refusal by the server shows as its status
        # in _response and one by the browser (CSP) as a console error.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        request = response.request
        document = request.resource_type == "document" and request.frame.parent_frame is None
        # A page answered 403, 404 or a form's 400 is what some tests came to see; anything a
        # page needs for itself (styles, scripts, images, fonts) must load, and nothing may
        # be a server error.
        if response.status >= 500 or (response.status >= 400 and not document):
            self.problems.append(f"{response.status} for {request.method} {response.url}")
        if document and self.html_dir and "text/html" in response.headers.get("content-type", ""):
            self._save_html(response)

    def _save_html(self, response) -> None:
        from playwright.sync_api import Error

        with contextlib.suppress(Error):  # a redirect or a page left at once has no body
            html = response.text()
            self._saved += 1
            path = urlsplit(response.url).path.strip("/").replace("/", "_") or "home"
            self.html_dir.mkdir(parents=True, exist_ok=True)
            name = f"{self.label}-{self._saved:02d}-{path[:80]}.html"
            (self.html_dir / name).write_text(html, encoding="utf-8")

    def measure_open_pages(self, context) -> None:
        """Measure the pages still open too: a test may have changed one after it loaded (a
        menu unfolded, a form's errors shown without reloading)."""
        from playwright.sync_api import Error

        for page in context.pages:
            if urlsplit(page.url).netloc != self.host:
                continue
            with contextlib.suppress(Error):  # closed or navigating: its load was measured
                if page.evaluate("document.contentType") == "text/html":
                    self.loaded(page.evaluate(MEASURE))

    def faults(self) -> list[str]:
        """Every problem met, and every page that was not right-to-left or was wider than
        its screen."""
        faults = list(self.problems)
        for seen in self.pages:
            if seen["dir"] != "rtl":
                faults.append(f'dir="{seen["dir"]}" on {seen["url"]}')
            if seen["scrollWidth"] > seen["viewportWidth"]:
                faults.append(
                    f"{seen['scrollWidth']} px wide at {seen['viewportWidth']} px: {seen['url']}"
                )
        return list(dict.fromkeys(faults))


@contextlib.contextmanager
def watched_context(chromium, origin: str, *, viewport: dict, label: str, keep_html=True):
    """A browser context whose journey is checked when the block ends (``Journey``).

    ``keep_html=False`` keeps its pages out of $E2E_HTML_DIR: a test's own made-up page is
    not the portal's markup."""
    context = chromium.new_context(viewport=viewport, locale="fa-IR", timezone_id="Asia/Tehran")
    context.set_default_timeout(15_000)
    html_dir = os.environ.get("E2E_HTML_DIR") if keep_html else None
    journey = Journey(origin, label=label, html_dir=html_dir)
    journey.watch(context)
    try:
        yield context
        journey.measure_open_pages(context)
        faults = journey.faults()  # before closing, which calls off what is still loading
    finally:
        context.close()
    if faults:
        pytest.fail("the journey met:\n" + "\n".join(faults), pytrace=False)


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, chromium, live_server):
    with watched_context(
        chromium, live_server.url, viewport=request.param, label=request.node.name
    ) as context:
        page = context.new_page()
        page.width_name = request.node.callspec.id
        yield page


def sign_in(page, live_server, user) -> None:
    """Give the browser a session of *user* made by Django's test client (django-axes rules
    the login form out of most tests); ``None`` signs the browser out."""
    from django.conf import settings
    from django.test import Client

    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def screenshot(page, name: str) -> None:
    """Keep a full-page PNG under $SCREENSHOT_DIR when it is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{page.width_name}.png", full_page=True)
