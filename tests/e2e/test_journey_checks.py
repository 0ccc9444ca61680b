"""The checks every browser journey passes through (conftest.watched_context) see what they
are for: a page that is left to right, wider than the phone, writes a console error, throws,
misses a file or calls another host fails the test that visited it."""

import pytest

from tests.e2e.conftest import PHONE, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

BROKEN_PAGE = """<!doctype html>
<html lang="fa"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>صفحهٔ خراب</title>
<link rel="stylesheet" href="/static/css/no-such-file.css">
<script src="http://cdn.example.invalid/lib.js"></script>
</head><body style="margin: 0">
<div style="inline-size: 500px">جدولی که در گوشی جا نمی‌شود</div>
<script>console.error("چیزی درست کار نکرد"); undefinedFunction();</script>
</body></html>"""


def test_a_broken_page_fails_the_journey_with_every_fault_named(chromium, live_server):
    url = live_server.url + "/journey-check/"
    # The faults are told when the context closes, so the check wraps the whole journey.
    with (
        pytest.raises(pytest.fail.Exception) as failure,
        watched_context(
            chromium, live_server.url, viewport=PHONE, label="broken", keep_html=False
        ) as context,
    ):
        page = context.new_page()
        # The page is served from the live server's address, as if the portal had sent it;
        # the other host is refused before it leaves the machine.
        page.route(url, lambda route: route.fulfill(body=BROKEN_PAGE, content_type="text/html"))
        page.route("http://cdn.example.invalid/**", lambda route: route.abort())
        page.goto(url)
    faults = str(failure.value).splitlines()[1:]
    assert sorted(faults) == sorted(
        [
            f'dir="None" on {url}',
            f"500 px wide at 360 px: {url}",
            f"console error on {url}: چیزی درست کار نکرد",
            "script error: undefinedFunction is not defined",
            f"404 for GET {live_server.url}/static/css/no-such-file.css",
            "request to another host: http://cdn.example.invalid/lib.js",
            "failed request: http://cdn.example.invalid/lib.js (net::ERR_FAILED)",
        ]
    )


def test_a_page_of_the_portal_passes(chromium, live_server):
    with watched_context(chromium, live_server.url, viewport=PHONE, label="home") as context:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.get_by_role("heading", level=1).count() == 1
